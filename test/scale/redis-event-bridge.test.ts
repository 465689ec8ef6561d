import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { EventBus, type AppEvents } from '../../src/events.ts';
import type { NewClickRow } from '../../src/modules/clicks/click.table.ts';
import { createMemoryFraudRateWindow, type MinuteCounts } from '../../src/storage/counters/fraud-rate-window.ts';
import { openRedis, waitForRedis } from '../../src/storage/counters/redis-client.ts';
import { relayClickFeeds } from '../../src/storage/counters/redis-click-relay.ts';
import { bridgeEvents } from '../../src/storage/counters/redis-event-bridge.ts';
import { createRedisFraudRateWindow } from '../../src/storage/counters/redis-fraud-rate-window.ts';
import { freshPrefix, REDIS_SKIP_REASON, REDIS_URL } from './redis-env.ts';

const quiet = { warn: () => undefined };
const until = async (done: () => boolean, what: string, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** Two nodes' buses joined through one Redis, as app.ts joins them. */
async function twoNodes(prefix: string) {
  const publisher = openRedis(REDIS_URL!);
  await waitForRedis(publisher);
  const nodes = [new EventBus(), new EventBus()].map((events) => ({
    events,
    bridge: bridgeEvents(REDIS_URL!, events, { prefix, publisher, log: quiet }),
    relay: relayClickFeeds(REDIS_URL!, events, { prefix, publisher, log: quiet, now: Date.now }),
  }));
  await Promise.all(nodes.flatMap((node) => [node.bridge.ready, node.relay.ready]));
  return {
    nodes,
    async close() {
      for (const node of nodes) {
        await node.bridge.close();
        node.relay.close();
      }
      publisher.disconnect();
    },
  };
}

const row = (id: string, userId: number) =>
  ({ id, user_id: userId, campaign_id: 1, created_at: Date.now() }) as NewClickRow;

test(
  'Redis between nodes: live feeds, missed invalidations, shared fraud-rate minutes',
  { skip: REDIS_SKIP_REASON, timeout: 30_000 },
  async (t) => {
    const { prefix, cleanUp } = freshPrefix();
    const { nodes, close } = await twoNodes(prefix);
    t.after(async () => {
      await close();
      await cleanUp();
    });
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];

    await t.test(
      'clicks are relayed only for accounts with a live feed open somewhere, and marked relayed',
      async () => {
        const seen: Array<AppEvents['click.recorded']> = [];
        b.events.on('click.recorded', (event) => seen.push(event));
        a.events.emit('click.recorded', { clicks: [row('k1', 7)] });
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(seen.length, 0, 'nobody watches account 7: nothing is published');

        b.events.emit('live-feed.open', { userId: 7 });
        await until(() => a.events.listenerCount('live-feed.open') > 0, 'listener');
        await new Promise((resolve) => setTimeout(resolve, 200));
        seen.length = 0; // b's own emit above
        a.events.emit('click.recorded', { clicks: [row('k2', 7), row('k3', 8)] });
        await until(() => seen.length > 0, 'the relayed batch');
        assert.deepEqual(
          seen[0]!.clicks.map((click) => click.id),
          ['k2'],
          "only the watched account's click",
        );
        assert.equal(seen[0]!.relayed, true);

        // A relayed batch is never relayed back.
        const back: unknown[] = [];
        a.events.on('click.recorded', (event) => back.push(event));
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(back.length, 0);
      },
    );

    await t.test('a subscription that was cut and came back drops every cache', async () => {
      let stale = 0;
      b.events.on('caches.stale', () => (stale += 1));
      const admin = new Redis(REDIS_URL!);
      try {
        // This test's subscriptions only (named after their channel): other tests share the Redis.
        const clients = String(await admin.client('LIST')).split('\n');
        const ids = clients
          .filter((line) => line.includes(`name=cloakradar:${prefix}events`))
          .map((line) => /id=(\d+)/.exec(line)![1]!);
        assert.equal(ids.length, 2, 'both nodes subscribed');
        for (const id of ids) await admin.client('KILL', 'ID', id);
      } finally {
        admin.disconnect();
      }
      await until(() => stale >= 1, 'caches.stale after the resubscription');
      // Invalidations flow again afterwards.
      const changed: unknown[] = [];
      b.events.on('campaign.changed', (event) => changed.push(event));
      await until(() => {
        a.events.emit('campaign.changed', { campaignId: 1, uuid: 'u' });
        return changed.length > 0;
      }, 'an invalidation after the reconnect');
    });

    await t.test('two nodes add to the same fraud-rate minutes; the sums equal one memory window', async () => {
      const publisher = openRedis(REDIS_URL!);
      await waitForRedis(publisher);
      try {
        const windows = [
          createRedisFraudRateWindow(publisher, { prefix }),
          createRedisFraudRateWindow(publisher, { prefix }),
        ];
        const memory = createMemoryFraudRateWindow();
        const now = 1_800_000_000_000;
        const minute = (total: number, fraudulent: number, type?: string): MinuteCounts => ({
          total,
          fraudulent,
          byType: new Map(type ? [[type, fraudulent]] : []),
        });
        const batches: Array<[number, MinuteCounts]> = [
          [Math.floor((now - 10 * 60_000) / 60_000), minute(5, 5, 'bot')], // outside a 5-minute window
          [Math.floor((now - 4 * 60_000) / 60_000), minute(3, 2, 'bot')],
          [Math.floor((now - 60_000) / 60_000), minute(4, 1, 'vpn')],
          [Math.floor(now / 60_000), minute(2, 2, 'rapid_fire')],
        ];
        for (const [i, [key, counts]] of batches.entries()) {
          await windows[i % 2]!.add(42, new Map([[key, counts]]), now);
          await memory.add(42, new Map([[key, counts]]), now);
        }
        const since = now - 5 * 60_000;
        const expected = await memory.sum(42, since, now);
        assert.deepEqual(expected, { clicks: 9, fraudulent: 5, byType: { bot: 2, vpn: 1, rapid_fire: 2 } });
        for (const window of windows) assert.deepEqual(await window.sum(42, since, now), expected);
        assert.deepEqual(
          await windows[0]!.sum(43, since, now),
          { clicks: 0, fraudulent: 0, byType: {} },
          'campaigns apart',
        );
        const ttl = await publisher.pttl(`${prefix}fraud-rate:42:${Math.floor(now / 60_000)}`);
        assert.ok(
          ttl > 86_400_000 && ttl <= 86_400_000 + 60_000,
          `every minute expires once no window reaches it (${ttl} ms)`,
        );
      } finally {
        publisher.disconnect();
      }
    });
  },
);
