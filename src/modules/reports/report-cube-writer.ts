import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import type { AmendedClick } from '../clicks/click-events.ts';
import type { NewClickRow } from '../clicks/click.table.ts';
import type { Counters } from '../stats/click-stats.table.ts';
import { clickCounters, verdictChange } from '../stats/stats-delta.ts';
import { ReportCubeDelta, type CubeFacts } from './report-cube-delta.ts';
import { addToCube } from './report-cube.repository.ts';

/**
 * Keeps the report cube in step with the rollups: the stats writer (stats/stats-writer.ts) calls one of
 * these in each transaction that moves a counter, with the same change, so the cube and the statistics
 * endpoints never disagree. Rows are added straight in (no journal): a batch writes one row per
 * combination of values it touches per day and week, under this process's shard.
 */
export function createReportCubeWriter(dialect: DialectAdapter, shard: number) {
  return {
    async clicksRecorded(trx: Db, rows: readonly NewClickRow[]): Promise<void> {
      const delta = new ReportCubeDelta(shard);
      for (const row of rows)
        delta.add(
          row,
          clickCounters({
            status: row.status,
            is_unique: row.is_unique,
            is_verified_bot: row.is_verified_bot,
            fraud_types: row.fraud_types,
            primary_fraud_type: row.primary_fraud_type ?? null,
            cost: row.cost ?? null,
            cost_source: row.cost_source ?? null,
          }),
        );
      await addToCube(trx, dialect, delta.rows());
    },

    async clicksAmended(trx: Db, clicks: readonly AmendedClick[]): Promise<void> {
      const delta = new ReportCubeDelta(shard);
      for (const { before, after } of clicks) delta.add(before, verdictChange(before, after));
      await addToCube(trx, dialect, delta.rows());
    },

    /** A lander click-through or a conversion's change: counters moved at one click's day and values. */
    async clickCounted(trx: Db, click: CubeFacts, change: Partial<Counters>): Promise<void> {
      await addToCube(trx, dialect, new ReportCubeDelta(shard).add(click, change).rows());
    },
  };
}

export type ReportCubeWriter = ReturnType<typeof createReportCubeWriter>;
