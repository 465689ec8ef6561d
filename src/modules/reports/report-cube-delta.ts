import type { ClickRow } from '../clicks/click.table.ts';
import type { Counters } from '../stats/click-stats.table.ts';
import { DAILY, WEEKLY, startOfDay, startOfWeek } from '../stats/periods.ts';
import {
  CUBE_COUNTERS,
  FULL_GRAIN,
  NARROW_GRAIN,
  type CubeCounters,
  type ReportCubeTable,
} from './report-cube.table.ts';

/** A click as the cube keys it (a stored row, or the rollups' facts of one, whose language may not be read). */
export type CubeFacts = Pick<ClickRow, 'user_id' | 'campaign_id' | 'created_at'> &
  Partial<Pick<ClickRow, 'country' | 'device' | 'os' | 'browser' | 'offer_id' | 'lander_id' | 'language'>>;

const zero = (): CubeCounters => ({
  clicks: 0,
  unique_clicks: 0,
  real_clicks: 0,
  bot_clicks: 0,
  vpn_clicks: 0,
  cloaked_clicks: 0,
  fraud_clicks: 0,
  priced_clicks: 0,
  priced_cost: 0,
  fraud_priced_clicks: 0,
  fraud_priced_cost: 0,
  lp_clicks: 0,
  conversions: 0,
  revenue: 0,
  suspicious_conversions: 0,
});

/**
 * A batch's changes to the cube, merged in memory by key: one row per (campaign, day or week,
 * combination of values) the batch touches, whatever its number of clicks. Takes the same counter
 * changes the rollups get (stats-delta.ts), so the two count alike; the counters the cube does not keep
 * (fraud per type, verified crawlers) are dropped.
 */
export class ReportCubeDelta {
  readonly #rows = new Map<string, ReportCubeTable>();

  constructor(private readonly shard: number) {}

  add(click: CubeFacts, counters: Partial<Counters>): this {
    let moved = false;
    for (const name of CUBE_COUNTERS) if ((counters[name] ?? 0) !== 0) moved = true;
    if (!moved) return this;
    const values = {
      country: click.country ?? '',
      device: click.device ?? '',
      os: click.os ?? '',
      browser: click.browser ?? '',
      offer_id: click.offer_id == null ? 0 : Number(click.offer_id),
      lander_id: click.lander_id == null ? 0 : Number(click.lander_id),
      language: click.language ?? '',
    };
    const day = startOfDay(click.created_at);
    const week = startOfWeek(day);
    for (const grain of [FULL_GRAIN, NARROW_GRAIN]) {
      const kept = grain === FULL_GRAIN ? values : { ...values, os: '', browser: '' };
      const combination = `${click.user_id}\u0000${click.campaign_id}\u0000${kept.country}\u0000${kept.device}\u0000${kept.os}\u0000${kept.browser}\u0000${kept.offer_id}\u0000${kept.lander_id}\u0000${kept.language}`;
      for (const [hours, start] of [
        [DAILY, day],
        [WEEKLY, week],
      ] as const) {
        const key = `${grain}\u0000${hours}\u0000${start}\u0000${combination}`;
        let row = this.#rows.get(key);
        if (!row) {
          row = {
            user_id: click.user_id,
            grain,
            hours,
            start,
            campaign_id: click.campaign_id,
            ...kept,
            shard: this.shard,
            ...zero(),
          };
          this.#rows.set(key, row);
        }
        for (const name of CUBE_COUNTERS) row[name] += counters[name] ?? 0;
      }
    }
    return this;
  }

  /** The rows to add, without those that net to nothing. */
  rows(): ReportCubeTable[] {
    return [...this.#rows.values()].filter((row) => CUBE_COUNTERS.some((name) => row[name] !== 0));
  }
}
