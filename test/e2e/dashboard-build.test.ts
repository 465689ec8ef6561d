import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app.ts';
import { testConfig, testIntel } from '../helpers/test-app.ts';
import { generateApiTypes, SCHEMA_FILE } from '../../scripts/gen-api-types.ts';

test('without a built dashboard the server still starts, and / says how to build it', async () => {
  const app = await buildApp({
    config: testConfig({ DATABASE_URL: 'sqlite::memory:' }),
    logger: false,
    intel: await testIntel(),
    dashboardDir: join(tmpdir(), 'no-such-dashboard'),
  });
  try {
    const home = await app.inject({ method: 'GET', url: '/' });
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /npm run build:web/);
    const page = await app.inject({ method: 'GET', url: '/settings' });
    assert.match(page.body, /npm run build:web/);
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/campaigns' })).statusCode, 401);
  } finally {
    await app.close();
  }
});

test("the dashboard's API types match the OpenAPI document (else: npm run gen:api)", async () => {
  assert.equal(
    readFileSync(SCHEMA_FILE, 'utf8'),
    await generateApiTypes(),
    'web/src/api/schema.d.ts is stale: run npm run gen:api',
  );
});
