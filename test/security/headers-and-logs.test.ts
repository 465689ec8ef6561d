import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { testConfig, testIntel } from '../helpers/test-app.ts';
import { DIALECTS, openTestStorage, type TestStorage } from '../helpers/dialects.ts';

describe('security headers, CORS, and logs without secrets', () => {
  const lines: string[] = [];
  let app: FastifyInstance;
  let storage: TestStorage;

  before(async () => {
    storage = openTestStorage(DIALECTS[0]!);
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    // Every level, so nothing a secret could hide in is filtered out before the check.
    app = await buildApp({
      config: testConfig({ WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true' }),
      storage,
      intel: await testIntel(),
      logger: { level: 'trace', stream },
    });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await storage.dispose();
  });

  test('the API, the dashboard and the docs carry security headers; the tracker stays lean', async () => {
    for (const url of ['/api/v1/campaigns', '/', '/campaigns/12', '/docs/']) {
      const response = await app.inject({ method: 'GET', url });
      const csp = String(response.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.match(csp, /object-src 'none'/, url);
      assert.equal(response.headers['x-content-type-options'], 'nosniff', url);
      assert.ok(response.headers['strict-transport-security'], url);
      assert.equal(response.headers['referrer-policy'], 'strict-origin-when-cross-origin', url);
    }
    const tracker = await app.inject({ method: 'GET', url: '/c/unknown1' });
    assert.equal(tracker.statusCode, 404);
    assert.equal(tracker.headers['content-security-policy'], undefined, 'no helmet work on the hot path');
  });

  test('CORS: another origin is never granted access, preflights included', async () => {
    const simple = await app.inject({
      method: 'GET',
      url: '/api/v1/campaigns',
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(simple.headers['access-control-allow-origin'], undefined);
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/campaigns',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'DELETE',
        'access-control-request-headers': 'authorization',
      },
    });
    assert.ok(preflight.statusCode >= 400, `preflight answered ${preflight.statusCode}`);
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
    assert.equal(preflight.headers['access-control-allow-headers'], undefined);
  });

  test('passwords, tokens, API secrets, webhook secrets and postback tokens never reach the logs', async () => {
    const password = 'correct horse battery staple';
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'logs@example.com', password },
    });
    const signedIn = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: 'logs@example.com', password },
    });
    const token = signedIn.json().token as string;
    const auth = { authorization: `Bearer ${token}` };
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: 'logs@example.com', password: `${password}!` },
    });
    const key = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: auth,
        payload: { name: 'k', scope: 'write' },
      })
    ).json().data;
    const keyToken = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/token',
        payload: { api_key: key.api_key, api_secret: key.api_secret },
      })
    ).json().token as string;
    const hook = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: auth,
        payload: { url: 'http://127.0.0.1:9/hook' },
      })
    ).json().data;
    const rotated = (
      await app.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/rotate-secret`, headers: auth })
    ).json().data;
    const postbackToken = (
      await app.inject({ method: 'POST', url: '/api/v1/account/postback-token', headers: auth })
    ).json().data.postback_token as string;
    const campaign = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/campaigns',
        headers: auth,
        payload: { name: 'c', destination_url: 'https://example.com/?cid={clickid}' },
      })
    ).json().data;
    const redirect = await app.inject({ method: 'GET', url: `/c/${campaign.uuid}` });
    const clickId = new URL(String(redirect.headers.location)).searchParams.get('cid')!;
    await app.inject({ method: 'GET', url: `/api/v1/postback?clickid=${clickId}&payout=1&token=${postbackToken}` });
    await app.inject({
      method: 'GET',
      url: `/api/v1/postback?clickid=${clickId}&payout=1&token=wrong${postbackToken}`,
    });
    await app.inject({ method: 'GET', url: '/api/v1/campaigns', headers: { authorization: `Bearer ${token}x` } });

    const logs = lines.join('');
    assert.ok(logs.includes('api request'), 'requests were logged at all');
    for (const [name, secret] of Object.entries({
      password,
      token,
      keyToken,
      apiSecret: key.api_secret as string,
      webhookSecret: hook.secret as string,
      rotatedSecret: rotated.secret as string,
      postbackToken,
    })) {
      assert.ok(secret && secret.length >= 16, `${name} was issued`);
      assert.ok(!logs.includes(secret), `${name} appears in the logs`);
      assert.ok(!logs.includes(secret.slice(0, 24)), `a part of ${name} appears in the logs`);
    }
  });
});
