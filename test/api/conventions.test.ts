import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/test-app.ts';
import { startWithRoomInMinute } from '../helpers/minute-window.ts';

forEachDialect('API conventions', (ctx) => {
  test('rate-limit headers on every /api response, errors included', async () => {
    const { request, signUp } = ctx();
    const { token } = await signUp();
    await startWithRoomInMinute(5_000);
    const ok = await request({ method: 'GET', url: '/api/v1/campaigns', token });
    assert.equal(ok.headers['x-ratelimit-limit'], '60');
    const remaining = Number(ok.headers['x-ratelimit-remaining']);
    assert.ok(remaining >= 0 && remaining < 60);
    const reset = Number(ok.headers['x-ratelimit-reset']);
    const nowSeconds = Date.now() / 1000;
    assert.ok(reset > nowSeconds && reset <= nowSeconds + 61, `reset ${reset} is a Unix time within the minute`);
    const failed = await request({ method: 'GET', url: '/api/v1/campaigns/12345', token });
    assert.equal(failed.statusCode, 404);
    assert.equal(Number(failed.headers['x-ratelimit-remaining']), remaining - 1);
    const anonymous = await request({ method: 'GET', url: '/api/v1/campaigns' });
    assert.equal(anonymous.statusCode, 401);
    assert.ok(anonymous.headers['x-ratelimit-limit']);
  });

  test('over the starter limit: 429 with Retry-After, the day window untouched by refusals', async () => {
    const { request, signUp } = ctx();
    const { token } = await signUp();
    const responses = [];
    await startWithRoomInMinute(10_000);
    for (let i = 0; i < 62; i++) responses.push(await request({ method: 'GET', url: '/api/v1/account', token }));
    const statuses = responses.map((r) => r.statusCode);
    assert.equal(statuses.filter((s) => s === 200).length, 60);
    const limited = responses[61]!;
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().error.code, 'RATE_LIMIT_EXCEEDED');
    assert.equal(limited.headers['x-ratelimit-remaining'], '0');
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60);
  });

  test('unknown routes answer 404 in the envelope', async () => {
    const { request, signUp } = ctx();
    const { token } = await signUp();
    const response = await request({ method: 'GET', url: '/api/v1/nothing-here', token });
    assert.equal(response.statusCode, 404);
    assert.deepEqual(Object.keys(response.json()), ['success', 'error']);
    assert.equal(response.json().error.code, 'NOT_FOUND');
    // Outside /api, /c and the docs, a path without a file extension is a dashboard page (SPA fallback).
    const page = await request({ method: 'GET', url: '/nope' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    const root = await request({ method: 'GET', url: '/nope.php' });
    assert.equal(root.statusCode, 404);
    assert.equal(root.json().success, false);
    assert.equal((await request({ method: 'POST', url: '/nope' })).statusCode, 404);
  });

  test('OpenAPI document and docs page', async () => {
    const { request } = ctx();
    const doc = await request({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(doc.statusCode, 200);
    const spec = doc.json();
    assert.match(spec.openapi, /^3\./);
    for (const path of [
      '/api/v1/auth/token',
      '/api/v1/campaigns',
      '/api/v1/campaigns/{id}',
      '/api/v1/api-keys',
      '/api/v1/traffic-sources',
    ]) {
      assert.ok(spec.paths[path], `${path} documented`);
    }
    const docs = await request({ method: 'GET', url: '/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.match(docs.headers['content-type'] as string, /html/);
  });

  test('health and readiness', async () => {
    const { request } = ctx();
    assert.equal((await request({ method: 'GET', url: '/healthz' })).statusCode, 200);
    const ready = await request({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().status, 'ready');
  });
});
