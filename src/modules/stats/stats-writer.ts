import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import type { NewClickRow } from '../clicks/click.table.ts';
import type { AmendedClick } from '../clicks/click-events.ts';
import { createReportCubeWriter } from '../reports/report-cube-writer.ts';
import { journalStats } from './stats.repository.ts';
import { StatsDelta, clickCounters, verdictChange, type ClickFacts } from './stats-delta.ts';

/** A conversion as the rollups see it: counted (not rejected) or not, and its payout. */
export interface ConversionWorth {
  readonly counted: boolean;
  readonly payout: number;
  /** Its event (lead, sale, …): the value it counts under in the `event` dimension. */
  readonly event: string;
  /** A fake lead (SPEC section 10): still counted, and counted again among suspicious_conversions. */
  readonly suspicious: boolean;
}

/** A stored click as the rollups count it (exported for the write-cost benches, which time the same step). */
export function factsOf(row: NewClickRow): ClickFacts & Parameters<typeof clickCounters>[0] {
  return {
    user_id: row.user_id,
    campaign_id: row.campaign_id,
    created_at: row.created_at,
    country: row.country ?? null,
    city: row.city ?? null,
    device: row.device,
    os: row.os ?? null,
    browser: row.browser ?? null,
    asn: row.asn ?? null,
    as_org: row.as_org ?? null,
    referrer: row.referrer ?? null,
    sub1: row.sub1 ?? null,
    sub2: row.sub2 ?? null,
    sub3: row.sub3 ?? null,
    sub4: row.sub4 ?? null,
    sub5: row.sub5 ?? null,
    placement: row.placement ?? null,
    offer_id: row.offer_id ?? null,
    lander_id: row.lander_id ?? null,
    rule: row.rule ?? null,
    path: row.path ?? null,
    sub6: row.sub6 ?? null,
    sub7: row.sub7 ?? null,
    sub8: row.sub8 ?? null,
    sub9: row.sub9 ?? null,
    sub10: row.sub10 ?? null,
    status: row.status,
    is_unique: row.is_unique,
    is_verified_bot: row.is_verified_bot,
    fraud_types: row.fraud_types,
    primary_fraud_type: row.primary_fraud_type ?? null,
    cost: row.cost ?? null,
    cost_source: row.cost_source ?? null,
  };
}

/**
 * Keeps the rollups in step with what they count. Every method runs inside the transaction that
 * writes the change, so a crash can never leave a click counted twice or not at all. They append to
 * the journal (click-stats.table.ts); the stats folder adds the journal into the periods. Each also
 * moves the report cube (modules/reports/report-cube-writer.ts) by the same change, in the same
 * transaction, under the process's `shard` (its rollup shard).
 */
export function createStatsWriter(dialect: DialectAdapter, shard = 0) {
  const cube = createReportCubeWriter(dialect, shard);
  return {
    async clicksRecorded(trx: Db, rows: readonly NewClickRow[]): Promise<void> {
      const delta = new StatsDelta();
      for (const row of rows) {
        const facts = factsOf(row);
        delta.add(facts, clickCounters(facts));
      }
      await journalStats(trx, dialect, delta);
      await cube.clicksRecorded(trx, rows);
    },

    async clicksAmended(trx: Db, clicks: readonly AmendedClick[]): Promise<void> {
      const delta = new StatsDelta();
      for (const { before, after } of clicks) delta.add(before, verdictChange(before, after));
      await journalStats(trx, dialect, delta);
      await cube.clicksAmended(trx, clicks);
    },

    /** A lander click-through, counted once per click at its hour and dimensions (with the offer it went to). */
    async landerClicked(trx: Db, click: ClickFacts): Promise<void> {
      await journalStats(trx, dialect, new StatsDelta().add(click, { lp_clicks: 1 }));
      await cube.clickCounted(trx, click, { lp_clicks: 1 });
    },

    /** Conversions count at their click's hour and dimensions, so CR by country compares like with like. */
    async conversionChanged(
      trx: Db,
      click: ClickFacts,
      before: ConversionWorth | null,
      after: ConversionWorth,
    ): Promise<void> {
      const worth = (conversion: ConversionWorth | null) =>
        conversion?.counted
          ? { conversions: 1, revenue: conversion.payout, suspicious_conversions: conversion.suspicious ? 1 : 0 }
          : { conversions: 0, revenue: 0, suspicious_conversions: 0 };
      const was = worth(before);
      const now = worth(after);
      const change = {
        conversions: now.conversions - was.conversions,
        revenue: now.revenue - was.revenue,
        suspicious_conversions: now.suspicious_conversions - was.suspicious_conversions,
      };
      const delta = new StatsDelta().add(click, change);
      // The event dimension: out of the event it was in, into the one it is in (the same one, in practice).
      if (before)
        delta.addValue(click, 'event', before.event, {
          conversions: -was.conversions,
          revenue: -was.revenue,
          suspicious_conversions: -was.suspicious_conversions,
        });
      delta.addValue(click, 'event', after.event, now);
      await journalStats(trx, dialect, delta);
      await cube.clickCounted(trx, click, change);
    },
  };
}

export type StatsWriter = ReturnType<typeof createStatsWriter>;
