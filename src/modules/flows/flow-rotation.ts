import { cumulativeShares, type CompiledFlow, type CompiledRule } from './flow-router.ts';

/** What auto rotation reads of each path: its rollups over the recent days. */
export interface PathFigures {
  readonly clicks: number;
  readonly conversions: number;
  readonly revenue: number;
}

/** No path gets less than this share, so a path that had bad luck early keeps being measured (SPEC section 8). */
export const MIN_SHARE = 0.1;
export const ROTATION_REFRESH_MS = 60_000;
const DRAWS = 2_000;

/** Standard normal by Box–Muller. */
function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, 1) for shape ≥ 1 (Marsaglia and Tsang, 2000). */
function gamma(shape: number, random: () => number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) for a, b ≥ 1, from two gammas. */
function beta(a: number, b: number, random: () => number): number {
  const x = gamma(a, random);
  return x / (x + gamma(b, random));
}

/**
 * Thompson sampling over EPC: each path's conversion rate has the posterior Beta(1 + conversions,
 * 1 + clicks − conversions) (a uniform prior), and a conversion is worth the path's mean payout (the
 * mean over the paths that converted while it has none). A draw samples every path's CR × payout; the
 * share of draws a path wins is its probability of being the best. A path's share is then
 * MIN_SHARE (or 1/n with more than 10 paths) plus its part of the rest by that probability: traffic
 * moves toward the better EPC as evidence builds, and no path is starved.
 */
export function thompsonShares(figures: readonly PathFigures[], random: () => number = Math.random): number[] {
  const n = figures.length;
  if (n <= 1) return n === 1 ? [1] : [];
  const perConversion = figures.filter((f) => f.conversions > 0).map((f) => f.revenue / f.conversions);
  const fallbackValue =
    perConversion.length > 0 ? perConversion.reduce((sum, value) => sum + value, 0) / perConversion.length : 1;
  const value = figures.map((f) => (f.conversions > 0 ? f.revenue / f.conversions : fallbackValue));
  const wins = new Array<number>(n).fill(0);
  for (let draw = 0; draw < DRAWS; draw++) {
    let best = 0;
    let bestEpc = -Infinity;
    for (let i = 0; i < n; i++) {
      const f = figures[i]!;
      const conversions = Math.min(f.conversions, f.clicks);
      const epc = beta(1 + conversions, 1 + f.clicks - conversions, random) * value[i]!;
      if (epc > bestEpc) {
        bestEpc = epc;
        best = i;
      }
    }
    wins[best]! += 1;
  }
  const floor = Math.min(MIN_SHARE, 1 / n);
  return wins.map((count) => floor + (1 - n * floor) * (count / DRAWS));
}

export interface RotationDeps {
  /** Each path's figures by its `path` dimension value (`rule #n`), over the recent days (statistics). */
  pathFigures(userId: number, campaignId: number): Promise<ReadonlyMap<string, PathFigures>>;
  now: () => number;
  refreshMs?: number;
  random?: () => number;
  onError?(error: unknown): void;
}

interface RotationEntry {
  at: number;
  loading: boolean;
  shares: Map<string, Float64Array>;
}

/**
 * Auto rotation's shares per rule, computed in the background and never on a click: a click reads the
 * table of its campaign's compiled flow (and starts a refresh when it is older than refreshMs); until
 * the first refresh lands, and for `weights` rotation, the configured weights apply. Keyed by the
 * compiled flow, so an edited flow (new paths) starts afresh.
 */
export function createRotation(deps: RotationDeps) {
  const tables = new WeakMap<CompiledFlow, RotationEntry>();
  const refreshMs = deps.refreshMs ?? ROTATION_REFRESH_MS;

  const refresh = async (campaign: RotatedCampaign, flow: CompiledFlow, entry: RotationEntry) => {
    const figures = await deps.pathFigures(campaign.userId, campaign.id);
    const none: PathFigures = { clicks: 0, conversions: 0, revenue: 0 };
    for (const rule of [...flow.rules, flow.fallback]) {
      if (rule.paths.length < 2) continue;
      const shares = thompsonShares(
        rule.paths.map((path) => figures.get(`${rule.name} #${path.index}`) ?? none),
        deps.random,
      );
      entry.shares.set(rule.name, cumulativeShares(shares));
    }
  };

  return {
    cumulativeShares(campaign: RotatedCampaign, rule: CompiledRule): Float64Array | undefined {
      const flow = campaign.flow;
      if (!flow || flow.rotation !== 'auto') return undefined;
      let entry = tables.get(flow);
      if (!entry) {
        entry = { at: -Infinity, loading: false, shares: new Map() };
        tables.set(flow, entry);
      }
      const now = deps.now();
      if (!entry.loading && now - entry.at >= refreshMs) {
        const current = entry;
        current.loading = true;
        refresh(campaign, flow, current)
          .then(() => {
            current.at = now;
          })
          .catch((error: unknown) => {
            // Retried after the interval; the weights (or the last shares) serve meanwhile.
            current.at = now;
            deps.onError?.(error);
          })
          .finally(() => {
            current.loading = false;
          });
      }
      return entry.shares.get(rule.name);
    },
  };
}

export interface RotatedCampaign {
  readonly id: number;
  readonly userId: number;
  readonly flow: CompiledFlow | null;
}

export type Rotation = ReturnType<typeof createRotation>;
