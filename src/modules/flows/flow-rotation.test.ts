import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_SHARE, createRotation, thompsonShares } from './flow-rotation.ts';
import { compileFlow } from './flow-router.ts';

/** A seeded generator (mulberry32), so the sampled shares are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

describe('auto rotation', () => {
  test('without evidence the paths share equally', () => {
    const shares = thompsonShares(
      [0, 0, 0].map(() => ({ clicks: 0, conversions: 0, revenue: 0 })),
      seeded(1),
    );
    for (const share of shares) assert.ok(Math.abs(share - 1 / 3) < 0.05, String(shares));
    assert.ok(Math.abs(sum(shares) - 1) < 1e-9);
  });

  test('traffic moves to the better EPC, and the worse path keeps its 10 %', () => {
    const shares = thompsonShares(
      [
        { clicks: 1000, conversions: 20, revenue: 200 }, // EPC 0.20
        { clicks: 1000, conversions: 60, revenue: 600 }, // EPC 0.60
      ],
      seeded(2),
    );
    assert.ok(shares[1]! > 0.85, String(shares));
    assert.ok(shares[0]! >= MIN_SHARE - 1e-9, String(shares));
    assert.ok(Math.abs(sum(shares) - 1) < 1e-9);
  });

  test('payout counts, not only the conversion rate', () => {
    const shares = thompsonShares(
      [
        { clicks: 1000, conversions: 50, revenue: 100 }, // CR 5 %, pays 2: EPC 0.10
        { clicks: 1000, conversions: 25, revenue: 500 }, // CR 2.5 %, pays 20: EPC 0.50
      ],
      seeded(3),
    );
    assert.ok(shares[1]! > shares[0]!, String(shares));
  });

  test('with more than ten paths the floor is an equal share of what is left', () => {
    const figures = Array.from({ length: 12 }, (_, i) => ({ clicks: 500, conversions: i === 0 ? 50 : 1, revenue: 0 }));
    const shares = thompsonShares(figures, seeded(4));
    assert.ok(Math.abs(sum(shares) - 1) < 1e-9);
    for (const share of shares) assert.ok(share >= 1 / 12 - 1e-9);
  });

  test('shares are computed in the background and refreshed after the interval', async () => {
    let clock = 0;
    let reads = 0;
    const rotation = createRotation({
      now: () => clock,
      refreshMs: 1000,
      random: seeded(5),
      pathFigures: async () => {
        reads++;
        return new Map([
          ['default #1', { clicks: 1000, conversions: 5, revenue: 50 }],
          ['default #2', { clicks: 1000, conversions: 80, revenue: 800 }],
        ]);
      },
    });
    const offers = new Map([1, 2].map((id) => [id, { id, url: `https://o${id}.example/` }] as const));
    const flow = compileFlow(
      {
        rules: [],
        paths: [1, 2].map((id) => ({ weight: 1, offers: [{ offer_id: id, weight: 1 }] })),
        rotation: 'auto',
      },
      offers,
      new Map(),
    );
    const campaign = { id: 1, userId: 1, flow };
    assert.equal(rotation.cumulativeShares(campaign, flow.fallback), undefined, 'the weights serve until then');
    await new Promise((resolve) => setImmediate(resolve));
    const cumulative = rotation.cumulativeShares(campaign, flow.fallback)!;
    assert.ok(cumulative[0]! >= MIN_SHARE - 1e-9 && cumulative[0]! < 0.2, String(cumulative));
    assert.equal(reads, 1);
    clock = 1500;
    rotation.cumulativeShares(campaign, flow.fallback);
    assert.equal(reads, 2);
  });
});
