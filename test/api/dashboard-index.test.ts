import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from '../../src/app.ts';
import { testConfig, testIntel } from '../helpers/test-app.ts';

test('index.html is served from memory with an ETag (304 when unchanged), and a rebuild is picked up without a restart', async () => {
  const distDir = mkdtempSync(join(tmpdir(), 'cloakradar-dist-'));
  mkdirSync(join(distDir, 'assets'));
  const index = join(distDir, 'index.html');
  writeFileSync(index, '<!doctype html><title>first build</title>');
  const app = await buildApp({
    config: testConfig({ DATABASE_URL: 'sqlite::memory:' }),
    logger: false,
    intel: await testIntel(),
    dashboardDir: distDir,
  });
  try {
    const first = await app.inject({ method: 'GET', url: '/' });
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /first build/);
    assert.equal(first.headers['cache-control'], 'no-cache');
    const etag = first.headers.etag;
    assert.ok(typeof etag === 'string' && etag.length > 2);
    const again = await app.inject({ method: 'GET', url: '/settings', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304, 'the SPA fallback revalidates the same page');
    assert.equal(again.body, '');

    writeFileSync(index, '<!doctype html><title>second build</title>');
    // A rebuild in the same second as the first write must still count as a change.
    utimesSync(index, new Date(), new Date(Date.now() + 5_000));
    // The file is looked at again at most once a second, off the request path.
    await sleep(1_100);
    await app.inject({ method: 'GET', url: '/' });
    let body = '';
    for (let i = 0; i < 50 && !body.includes('second build'); i++) {
      await sleep(20);
      body = (await app.inject({ method: 'GET', url: '/' })).body;
    }
    assert.match(body, /second build/);
    const changed = await app.inject({ method: 'GET', url: '/', headers: { 'if-none-match': etag } });
    assert.equal(changed.statusCode, 200, 'the old ETag no longer matches');
    assert.notEqual(changed.headers.etag, etag);
  } finally {
    await app.close();
  }
});
