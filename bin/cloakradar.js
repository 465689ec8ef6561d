#!/usr/bin/env node
// The package runs its TypeScript sources through tsx's loader: no build step between a checkout and `npm start`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
