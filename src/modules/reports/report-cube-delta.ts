import type { ClickRow } from '../clicks/click.table.ts';
import type { Counters } from '../stats/click-stats.table.ts';
import { startOfDay } from '../stats/periods.ts';
import { CUBE_COUNTERS, type ReportCubeTable } from './report-cube.table.ts';

/** A click as the cube keys it (a stored row, or the rollups' facts of one, whose language may not be read). */
export type CubeFacts = Pick<ClickRow, 'user_id' | 'campaign_id' | 'created_at'> &
  Partial<Pick<ClickRow, 'country' | 'device' | 'os' | 'browser' | 'offer_id' | 'lander_id' | 'language'>>;

/**
 * A batch's changes to the cube, merged in memory by key: one row per (campaign, UTC day, combination of
 * values) the batch touches, whatever its number of clicks, so the batch is one multi-row upsert. Takes the
 * same counter changes the rollups get (stats-delta.ts), so the two count alike; the counters the cube does
 * not keep (fraud per type, verified crawlers) are dropped. Plain loops, no closures per click: this runs in
 * the click transaction.
 */
export class ReportCubeDelta {
  readonly #rows = new Map<string, ReportCubeTable>();

  constructor(private readonly shard: number) {}

  add(click: CubeFacts, counters: Partial<Counters>): this {
    let moved = false;
    for (const name of CUBE_COUNTERS)
      if ((counters[name] ?? 0) !== 0) {
        moved = true;
        break;
      }
    if (!moved) return this;
    const country = click.country ?? '';
    const device = click.device ?? '';
    const os = click.os ?? '';
    const browser = click.browser ?? '';
    const offerId = click.offer_id == null ? 0 : Number(click.offer_id);
    const landerId = click.lander_id == null ? 0 : Number(click.lander_id);
    const language = click.language ?? '';
    const start = startOfDay(click.created_at);
    const key = `${click.user_id}\u0000${click.campaign_id}\u0000${start}\u0000${country}\u0000${device}\u0000${os}\u0000${browser}\u0000${offerId}\u0000${landerId}\u0000${language}`;
    let row = this.#rows.get(key);
    if (!row) {
      row = {
        user_id: click.user_id,
        start,
        campaign_id: click.campaign_id,
        country,
        device,
        os,
        browser,
        offer_id: offerId,
        lander_id: landerId,
        language,
        shard: this.shard,
        // Spelled out: spread in after the key, the counters were defined one by one (issue 24's profile).
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
      } satisfies ReportCubeTable;
      this.#rows.set(key, row);
    }
    for (const name of CUBE_COUNTERS) row[name] += counters[name] ?? 0;
    return this;
  }

  /** The rows to add, without those that net to nothing. */
  rows(): ReportCubeTable[] {
    const rows: ReportCubeTable[] = [];
    for (const row of this.#rows.values())
      for (const name of CUBE_COUNTERS)
        if (row[name] !== 0) {
          rows.push(row);
          break;
        }
    return rows;
  }
}
