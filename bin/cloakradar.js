#!/usr/bin/env node
// Runs the compiled server in dist/ when it is as new as src/ (`npm start` builds it first: scripts/build-server.mjs);
// otherwise the TypeScript sources through tsx's loader, so a checkout, a test or an edit needs no build step.
// The compiled build saves the loader's memory (esbuild and its caches, about 150 MiB of RSS).
import { fileURLToPath } from 'node:url';
import { isServerBuildFresh } from './server-build-stamp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
if (process.env.CLOAKRADAR_TSX !== '1' && isServerBuildFresh(root)) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
