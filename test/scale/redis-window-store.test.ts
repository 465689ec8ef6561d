import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import {
  createMemoryDetectionWindowStore,
  BURST_RETENTION_MS,
  DUPLICATE_RETENTION_MS,
  type ClickWindowKeys,
  type DetectionSpans,
} from '../../src/storage/counters/detection-window-store.ts';
import { createMemoryVisitorWindow, BURST_TIMES_PER_KEY } from '../../src/storage/counters/memory-visitor-window.ts';
import { createMemoryDistinctWindow } from '../../src/storage/counters/memory-distinct-window.ts';
import { createMemoryLineWindow, LINES_PER_KEY } from '../../src/storage/counters/memory-line-window.ts';
import { openRedis, waitForRedis } from '../../src/storage/counters/redis-client.ts';
import { createRedisDetectionWindowStore } from '../../src/storage/counters/redis-detection-window-store.ts';
import { freshPrefix, REDIS_SKIP_REASON, REDIS_URL } from './redis-env.ts';

const SPANS: DetectionSpans = {
  duplicateMs: 86_400_000,
  burstMs: 60_000,
  shortMs: 10_000,
  farmMs: 600_000,
  historyMs: 3_600_000,
};

function memoryStore() {
  return createMemoryDetectionWindowStore({
    visitors: createMemoryVisitorWindow(DUPLICATE_RETENTION_MS),
    addresses: createMemoryVisitorWindow(BURST_RETENTION_MS, 1000, BURST_TIMES_PER_KEY),
    subnets: createMemoryDistinctWindow(BURST_RETENTION_MS),
    addressDevices: createMemoryDistinctWindow(BURST_RETENTION_MS),
    lines: createMemoryLineWindow(BURST_RETENTION_MS),
  });
}

/** A deterministic mix: repeat visitors, one busy address, a farm in one subnet, time moving on. */
function* clicks(count: number) {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  let now = 1_700_000_000_000;
  for (let i = 0; i < count; i++) {
    now += Math.floor(random() * (i % 50 === 0 ? 900_000 : 4_000));
    const host = Math.floor(random() * 12);
    const ua = Math.floor(random() * 6);
    const subnet = host < 8 ? '10.0.0' : `10.0.${host}`;
    const keys: ClickWindowKeys = {
      device: `c1:${host}-${ua}`,
      ip: `c1:${subnet}.${host}`,
      subnet: host === 11 ? null : `c1:${subnet}`,
    };
    yield { keys, visitorKey: `${host}-${ua}`, clickId: `k${i}`, now, spans: SPANS };
  }
}

test(
  'the Redis windows count exactly as the memory windows, claims included',
  { skip: REDIS_SKIP_REASON, timeout: 60_000 },
  async () => {
    const { prefix, cleanUp } = freshPrefix();
    const redis = openRedis(REDIS_URL!);
    await waitForRedis(redis);
    try {
      const shared = createRedisDetectionWindowStore(redis, { prefix });
      const memory = memoryStore();
      let step = 0;
      let claimed = 0;
      let farmSeen = 0;
      // The per-address browser counts (short, burst, history spans) are compared too: some must exceed one.
      let browsersSeen = 0;
      // The busiest other line of a subnet is compared too: the mix's shared /24 has eight lines.
      let otherLineSeen = 0;
      for (const click of clicks(1500)) {
        const history = await shared.observe(click);
        assert.deepEqual(history, await memory.observe(click), `click ${click.clickId}`);
        farmSeen = Math.max(farmSeen, history.subnetRecentDevices);
        browsersSeen = Math.max(browsersSeen, history.addressShortDevices);
        otherLineSeen = Math.max(otherLineSeen, history.subnetOtherLineDevices);
        step += 1;
        if (step % 7 === 0) {
          const group = (['device', 'ip', 'subnet', 'lines'] as const)[(step / 7) % 4]!;
          const mark = 1 << (step % 4);
          const withinMs = [10_000, 60_000, 600_000][step % 3]!;
          const fromRedis = (await shared.claim(click.keys, group, click.now, withinMs, mark)).sort();
          const fromMemory = (await memory.claim(click.keys, group, click.now, withinMs, mark)).sort();
          assert.deepEqual(fromRedis, fromMemory, `claim ${group} at ${click.clickId}`);
          claimed += fromRedis.length;
        }
      }
      assert.ok(claimed > 100 && farmSeen > 20, `the mix exercises claims (${claimed}) and farms (${farmSeen})`);
      assert.ok(browsersSeen > 1, `several browsers behind one address within 10 s (${browsersSeen})`);
      assert.ok(otherLineSeen > 2, `other lines of a subnet with several browsers (${otherLineSeen})`);
    } finally {
      await redis.quit();
      await cleanUp();
    }
  },
);

test('keys are bounded: members capped per key, every key expires', { skip: REDIS_SKIP_REASON }, async () => {
  const { prefix, cleanUp } = freshPrefix();
  const redis = openRedis(REDIS_URL!);
  await waitForRedis(redis);
  const raw = new Redis(REDIS_URL!);
  try {
    const shared = createRedisDetectionWindowStore(redis, { prefix });
    const keys: ClickWindowKeys = { device: 'c:dev', ip: 'c:1.2.3.4', subnet: 'c:1.2.3' };
    for (let i = 0; i < 300; i++)
      await shared.observe({ keys, visitorKey: `ua${i}`, clickId: `id${i}`, now: 1_000_000 + i, spans: SPANS });
    assert.equal(await raw.zcard(`${prefix}w:v:c:dev`), 16);
    assert.equal(await raw.zcard(`${prefix}w:a:c:1.2.3.4`), BURST_TIMES_PER_KEY);
    assert.equal(await raw.zcard(`${prefix}w:s:c:1.2.3`), 128);
    // Lines of one subnet: at most LINES_PER_KEY, the oldest dropped first (as the memory window).
    for (let i = 0; i < 20; i++) {
      const line: ClickWindowKeys = { device: `c:dev${i}`, ip: `c:1.2.3.${i}`, subnet: 'c:1.2.3' };
      await shared.observe({ keys: line, visitorKey: `ua${i}`, clickId: `l${i}`, now: 1_001_000 + i, spans: SPANS });
    }
    const lines = await raw.hgetall(`${prefix}w:l:c:1.2.3`);
    assert.deepEqual(
      Object.keys(lines).sort(),
      Array.from({ length: LINES_PER_KEY }, (_, i) => `c:1.2.3.${20 - LINES_PER_KEY + i}`).sort(),
    );
    const all = await raw.keys(`${prefix}*`);
    for (const key of all) assert.ok((await raw.pttl(key)) > 0, `${key} has a time to live`);
    assert.ok((await raw.pttl(`${prefix}w:v:c:dev`)) > BURST_RETENTION_MS, 'the duplicate window lives a day');
  } finally {
    await Promise.all([redis.quit(), raw.quit()]);
    await cleanUp();
  }
});
