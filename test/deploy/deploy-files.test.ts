// The Dockerfile and compose.yaml are not built here (CI has no Docker daemon): these checks keep them
// in step with the code — the options they set exist, the image runs as a user and answers its health check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const configSource = read('src/config.ts');
/** Every variable config.ts reads, but NODE_ENV (the platform's, not ours). */
const OPTIONS = [...new Set([...configSource.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!))].filter(
  (name) => name !== 'NODE_ENV',
);

test('the Dockerfile: node:20-slim, npm ci, a non-root user, the data volume, port 3000 and a /healthz check', () => {
  const dockerfile = read('Dockerfile');
  assert.match(dockerfile, /^FROM node:20-slim\b/m);
  assert.match(dockerfile, /^RUN npm ci\b/m);
  assert.match(dockerfile, /^USER node$/m);
  assert.match(dockerfile, /DATA_DIR=\/data/);
  assert.match(dockerfile, /^VOLUME \["\/data"\]$/m);
  assert.match(dockerfile, /^EXPOSE 3000$/m);
  assert.match(dockerfile, /^HEALTHCHECK [\s\S]*\/healthz/m);
  assert.match(dockerfile, /^CMD \["node", "bin\/cloakradar\.js", "serve"\]$/m);
});

test('compose.yaml sets only options CloakRadar reads, and the app gets its database and Redis', () => {
  const compose = read('compose.yaml');
  const ours = compose.slice(0, compose.indexOf('\n  postgres:'));
  const names = [...ours.matchAll(/^ {6}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
  assert.ok(names.length > 0);
  for (const name of names) assert.ok(OPTIONS.includes(name), `${name} is not an option of src/config.ts`);
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'PUBLIC_URL']) assert.ok(names.includes(name), name);
  assert.match(compose, /\/readyz/);
  assert.match(compose, /condition: service_completed_successfully/, 'nodes start after `migrate`');
});

test('the README has a row for every option, and links the production guide', () => {
  const readme = read('README.md');
  for (const name of OPTIONS) assert.match(readme, new RegExp(`^\\| \`${name}\` \\|`, 'm'), `README row for ${name}`);
  assert.match(readme, /\(docs\/production\.md\)/);
  const guide = read('docs/production.md');
  for (const name of [
    'TRUST_PROXY',
    'PUBLIC_URL',
    'JWT_SECRET',
    'DATABASE_URL',
    'CLICK_RETENTION_DAYS',
    'IP_ANONYMIZE_DAYS',
  ])
    assert.ok(guide.includes(name), name);
});
