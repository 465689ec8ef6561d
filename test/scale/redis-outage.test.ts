import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../helpers/dialects.ts';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { freshPrefix, REDIS_SKIP_REASON, REDIS_URL } from './redis-env.ts';

/**
 * Redis goes away under a node (the TCP relay between them is cut): the tracker keeps redirecting
 * and recording, judging clicks without their shared history; the API keeps answering, each node
 * counting rate limits alone; /readyz says so and stays ready. When Redis is back, the shared
 * windows count again and the caches that may have missed invalidations are dropped.
 */
describe('Redis goes away for a moment', { skip: REDIS_SKIP_REASON, timeout: 60_000 }, () => {
  let proxy: TcpProxy;
  let keys: ReturnType<typeof freshPrefix>;
  let t: HttpTestApp;
  let campaign: { id: number; uuid: string; token: string };

  before(async () => {
    const target = new URL(REDIS_URL!);
    proxy = await startTcpProxy(Number(target.port || 6379), target.hostname);
    target.port = String(proxy.port);
    keys = freshPrefix();
    t = await startHttpApp(DIALECTS[0]!, {
      REDIS_URL: target.toString(),
      REDIS_PREFIX: keys.prefix,
      TRUST_PROXY: '127.0.0.1',
    });
    campaign = await t.createCampaign();
  });

  after(async () => {
    await t?.app.close();
    await t?.storage.dispose();
    await proxy?.close();
    await keys?.cleanUp();
  });

  const clickFrom = async (ip: string) => {
    const started = performance.now();
    const response = await t.visit(`/c/${campaign.uuid}`, { 'x-forwarded-for': ip });
    return {
      status: response.status,
      id: new URL(response.headers.get('location') ?? 'https://x.example/').searchParams.get('cid'),
      ms: performance.now() - started,
    };
  };
  const stored = async (id: string) => {
    const response = await t.request({ method: 'GET', url: `/api/v1/clicks/${id}`, token: campaign.token });
    return response.statusCode === 200 ? (response.json().data as { fraud_types: string[] }) : undefined;
  };
  const readyz = async () => {
    const response = await t.visit('/readyz');
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  test('clicks redirect and are stored, the API answers, /readyz tells; counting is shared again once Redis is back', async () => {
    assert.equal((await readyz()).body.redis, 'ready');
    await clickFrom('84.60.1.1');
    const repeat = await clickFrom('84.60.1.1');
    assert.deepEqual((await stored(repeat.id!))?.fraud_types, ['duplicate'], 'Redis counts before the outage');

    proxy.cut();
    const during = [];
    for (let i = 0; i < 10; i++) during.push(await clickFrom('84.60.2.2'));
    for (const click of during) {
      assert.equal(click.status, 302, 'every visitor is redirected');
      assert.ok(
        click.ms < 1_500,
        `no click waits on the dead Redis longer than its command timeout (${click.ms.toFixed(0)} ms)`,
      );
      assert.ok(await stored(click.id!), `click ${click.id} is stored`);
    }
    const api = await t.request({ method: 'GET', url: '/api/v1/campaigns', token: campaign.token });
    assert.equal(api.statusCode, 200, 'the API counts this node alone rather than refusing');
    assert.ok(api.headers['x-ratelimit-remaining'] !== undefined);
    const degraded = await readyz();
    assert.equal(
      degraded.status,
      200,
      'a node without Redis still serves: taking every node out at once would stop all traffic',
    );
    assert.equal(degraded.body.redis, 'unavailable');
    assert.ok(Number(degraded.body.clicks_judged_without_history) >= 10, JSON.stringify(degraded.body));

    proxy.restore();
    const deadline = Date.now() + 20_000;
    while ((await readyz()).body.redis !== 'ready') {
      assert.ok(Date.now() < deadline, 'Redis reconnects');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await clickFrom('84.60.3.3');
    const again = await clickFrom('84.60.3.3');
    assert.deepEqual((await stored(again.id!))?.fraud_types, ['duplicate'], 'shared windows count again');
  });
});
