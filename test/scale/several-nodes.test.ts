import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { CLUSTER_SKIP_REASON, freshPrefix, REDIS_URL } from './redis-env.ts';
import { startReceiver } from '../helpers/webhook-receiver.ts';
import { api, click, eventually, freshDatabase, startNode, type Node } from './nodes.ts';
import { startWithRoomInMinute } from '../helpers/minute-window.ts';

/**
 * Two real nodes on one PostgreSQL and one Redis, as behind a load balancer: nothing may differ from
 * a single node — not a count, not a verdict, not a rate limit.
 */
describe('several nodes behind one load balancer', { skip: CLUSTER_SKIP_REASON, timeout: 180_000 }, () => {
  let nodes: Node[] = [];
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let redisKeys: ReturnType<typeof freshPrefix>;
  let sql: pg.Client;
  let token: string;
  let campaign: { id: number; uuid: string };

  const fraudTypes = async (clickId: string): Promise<string[]> => {
    const { rows } = await sql.query<{ fraud_types: string }>('select fraud_types from clicks where id = $1', [
      clickId,
    ]);
    return rows[0] ? (JSON.parse(rows[0].fraud_types) as string[]) : [];
  };
  const clickIdOf = (location: string) => new URL(location).searchParams.get('cid')!;

  before(async () => {
    database = await freshDatabase();
    redisKeys = freshPrefix();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: REDIS_URL!,
      REDIS_PREFIX: redisKeys.prefix,
      JWT_SECRET: 'scale-test-secret-scale-test-secret-0000',
      SCALE_LEASE_MS: '1500',
      SCALE_POLL_MS: '300',
      SCALE_CHUNK_SIZE: '5',
      WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
    };
    // Started together: both migrate the fresh database, and the migrator's lock lets one of them do it.
    nodes = await Promise.all([startNode('A', env), startNode('B', env)]);
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    const registered = await api<{ token: string }>(nodes[0]!, 'POST', '/v1/auth/register', undefined, {
      email: 'nodes@example.com',
      password: 'long enough',
    });
    token = registered.json.token;
    const created = await api<{ data: { id: number; uuid: string } }>(nodes[1]!, 'POST', '/v1/campaigns', token, {
      name: 'Nodes',
      destination_url: 'https://shop.example/?cid={clickid}',
    });
    campaign = created.json.data;
  });

  after(async () => {
    await sql?.end();
    await Promise.all(nodes.map((node) => node.stop()));
    await database?.drop();
    await redisKeys?.cleanUp();
  });

  test('a burst of API calls over both nodes meets the plan limit exactly once', async () => {
    const other = await api<{ token: string }>(nodes[0]!, 'POST', '/v1/auth/register', undefined, {
      email: 'burst@example.com',
      password: 'long enough',
    });
    await startWithRoomInMinute(15_000);
    const statuses = await Promise.all(
      Array.from({ length: 70 }, (_, i) =>
        api(nodes[i % 2]!, 'GET', '/v1/campaigns', other.json.token).then((r) => r.status),
      ),
    );
    assert.equal(statuses.filter((status) => status === 200).length, 60, JSON.stringify(statuses));
    assert.equal(statuses.filter((status) => status === 429).length, 10);
  });

  test('the same visitor alternating nodes is a duplicate', async () => {
    const first = clickIdOf(await click(nodes[0]!, campaign.uuid, '84.128.77.1'));
    const second = clickIdOf(await click(nodes[1]!, campaign.uuid, '84.128.77.1'));
    assert.ok(!(await fraudTypes(first)).includes('duplicate'));
    assert.ok((await fraudTypes(second)).includes('duplicate'), 'the second node knew the first click');
  });

  test('rapid fire across nodes is caught, and its first clicks get the late finding', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push(
        clickIdOf(
          await click(
            nodes[i % 2]!,
            campaign.uuid,
            '73.15.20.9',
            `${'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'} n/${i}`,
          ),
        ),
      );
    assert.ok(
      (await fraudTypes(ids[5]!)).includes('rapid_fire'),
      'the sixth click, on node B, counts the clicks node A saw',
    );
    for (const id of ids.slice(0, 2)) {
      await eventually(
        () => fraudTypes(id),
        (types) => types.includes('rapid_fire'),
        5_000,
        `late finding on ${id}`,
      );
    }
  });

  test("an endpoint added on node A is known to node B's subscriber cache at once", async () => {
    // Node B has cached that nobody subscribes (its flagged clicks above); a duplicate on B now must reach the outbox.
    const count = async () =>
      Number(
        (await sql.query<{ n: string }>("select count(*) as n from webhook_events where type = 'click.flagged'"))
          .rows[0]!.n,
      );
    assert.equal(await count(), 0);
    const created = await api(nodes[0]!, 'POST', '/v1/webhooks', token, {
      url: 'http://127.0.0.1:9/hook',
      events: ['click.flagged'],
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await click(nodes[1]!, campaign.uuid, '84.128.66.1');
    await click(nodes[1]!, campaign.uuid, '84.128.66.1');
    await eventually(count, (n) => n >= 1, 3_000, 'a click.flagged event from node B');
  });

  test('a campaign edited on node A redirects to the new URL on node B within a second', async () => {
    const before = await click(nodes[1]!, campaign.uuid, '84.128.90.1');
    assert.match(before, /^https:\/\/shop\.example\//, 'node B has the campaign cached');
    const edited = await api(nodes[0]!, 'PUT', `/v1/campaigns/${campaign.id}`, token, {
      destination_url: 'https://new.example/?cid={clickid}',
    });
    assert.equal(edited.status, 200);
    const start = Date.now();
    await eventually(
      () => click(nodes[1]!, campaign.uuid, '84.128.90.2'),
      (location) => location.startsWith('https://new.example/'),
      1_000,
      'node B follows the edit',
    );
    assert.ok(Date.now() - start < 1_000);
  });

  test('a live feed open on node B shows the clicks node A records', async () => {
    const controller = new AbortController();
    const response = await fetch(`${nodes[1]!.baseUrl}/api/v1/clicks/stream?campaign_id=${campaign.id}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    let text = '';
    const read = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += Buffer.from(value).toString('utf8');
      }
    })().catch(() => undefined);
    try {
      await eventually(
        async () => text,
        (seen) => seen.includes(': connected'),
        5_000,
        'the feed opened',
      );
      // The feed's announcement reaches node A over Redis before A's next batch.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const id = clickIdOf(await click(nodes[0]!, campaign.uuid, '84.128.90.1'));
      await eventually(
        async () => text,
        (seen) => seen.includes(`id: ${id}`),
        5_000,
        `click ${id} in node B's feed`,
      );
      assert.equal(text.split(`id: ${id}\n`).length - 1, 1, 'shown once');
    } finally {
      controller.abort();
      await read;
    }
  });

  test('fraud.alert counts the clicks of every node, and is sent once', async () => {
    const receiver = await startReceiver();
    try {
      const watched = (
        await api<{ data: { id: number; uuid: string } }>(nodes[0]!, 'POST', '/v1/campaigns', token, {
          name: 'Alerted',
          destination_url: 'https://shop.example/?cid={clickid}',
        })
      ).json.data;
      assert.equal(
        (await api(nodes[0]!, 'POST', '/v1/webhooks', token, { url: receiver.url, events: ['fraud.alert'] })).status,
        201,
      );
      const settings = await api(nodes[1]!, 'PUT', '/v1/detection-settings', token, {
        fraud_alert: { threshold_percent: 50, min_clicks: 6, window_minutes: 5 },
      });
      assert.equal(settings.status, 200, JSON.stringify(settings.json));
      // Three bot clicks on each node: neither node alone reaches min_clicks.
      for (let i = 0; i < 6; i++)
        await click(nodes[i % 2]!, watched.uuid, `84.19.3.${i + 1}`, 'python-requests/2.31.0');
      await receiver.waitFor(
        () => receiver.events('fraud.alert').length >= 1,
        8_000,
        'fraud.alert from the clicks of both nodes',
      );
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const alerts = receiver.events('fraud.alert');
      assert.equal(
        alerts.length,
        1,
        `once, though both nodes evaluate: ${JSON.stringify(alerts.map((alert) => alert.data))}`,
      );
      assert.equal(alerts[0]!.data.campaign_id, watched.id);
      assert.equal(alerts[0]!.data.total_clicks, 6);
      assert.equal(alerts[0]!.data.fraudulent_clicks, 6);
    } finally {
      await receiver.close();
    }
  });

  test('a node killed mid-report leaves the report to another, which finishes it', async () => {
    // Enough fraudulent clicks that the report takes a few seconds in chunks of 5.
    const values: string[] = [];
    const params: unknown[] = [];
    const at = Date.now() - 3_600_000;
    for (let i = 0; i < 3_000; i++) {
      const o = params.length;
      values.push(`($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4})`);
      params.push(`bulk${String(i).padStart(6, '0')}`, at + i, `10.9.${(i >> 8) & 255}.${i & 255}`, 1);
    }
    await sql.query(
      `insert into clicks (id, user_id, campaign_id, created_at, ip, country, region, city, asn, as_org, device, os, browser, user_agent, referrer, query,
        sub1, sub2, sub3, sub4, sub5, platform_click_id, status, is_bot, is_vpn, is_verified_bot, is_unique, fraud_types, primary_fraud_type, fraud_score, reasons, action, visitor_hash)
       select v.id, u.id, ${campaign.id}, v.at::bigint, v.ip, 'DE', null, null, 3320, 'x', 'desktop', 'Windows', 'Chrome', 'Mozilla/5.0', null, '{}',
        null, null, null, null, null, 'gclid-' || v.id, 'bot', 1, 0, 0, 1, '["bot"]', 'bot', 80, '[]', 'redirected', 'bulk'
       from (values ${values.join(',')}) as v(id, at, ip, n) cross join (select id from users where email = 'nodes@example.com') u`,
      params,
    );
    const report = await api<{ data: { id: number } }>(nodes[0]!, 'POST', '/v2/fraud/report', token, {
      campaign_id: campaign.id,
      platform: 'google',
    });
    assert.equal(report.status, 201, JSON.stringify(report.json));
    const id = report.json.data.id;
    const lease = async () =>
      (
        await sql.query<{ claimed_until: string | null; status: string; attempts: number }>(
          'select claimed_until, status, attempts from fraud_reports where id = $1',
          [id],
        )
      ).rows[0]!;
    await eventually(lease, (row) => row.claimed_until !== null, 5_000, 'the report is claimed');
    // Which node runs it: freeze A; if the lease is still renewed meanwhile, B holds it.
    nodes[0]!.child.kill('SIGSTOP');
    // A renewal A sent just before it stopped may still land: let it settle before the first sample.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const samples = [await lease()];
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      samples.push(await lease());
    }
    const holder = new Set(samples.map((row) => row.claimed_until)).size > 1 ? 1 : 0;
    nodes[0]!.child.kill('SIGCONT');
    const seen = JSON.stringify(samples);
    assert.ok(
      samples.every((row) => row.status === 'processing'),
      `the report takes long enough to be cut off: ${seen}`,
    );
    await nodes[holder]!.crash();
    const survivor = nodes[1 - holder]!;
    nodes = [survivor];
    const done = await eventually(
      lease,
      (row) => row.status !== 'processing',
      30_000,
      `node ${survivor.name} finishes the report`,
    );
    assert.equal(done.status, 'ready');
    assert.equal(
      Number(done.attempts),
      2,
      `claimed by the killed node ${holder === 0 ? 'A' : 'B'}, then by the survivor: ${seen}`,
    );
    const summary = await api<{ data: { status: string; summary: { fraudulent_clicks: number } } }>(
      survivor,
      'GET',
      `/v2/fraud/report/${id}`,
      token,
    );
    assert.ok(summary.json.data.summary.fraudulent_clicks >= 3_000, JSON.stringify(summary.json));
  });
});
