// The bulk loader of the report benchmark's big databases: the same clicks, conversions, rollups and cube rows
// as loadTraffic (loader.ts, kept as the reference it is checked against: loader-identity.ts), written with far
// fewer statements. The rollup journal's delta and the cube's are merged in memory over a whole chunk (by
// default 500,000 clicks, one transaction) rather than per 50,000, so the journal gets one row per key a chunk
// touches and the fold reads a fraction of the rows; the click rows are inserted 25,000 at a time inside the
// chunk's transaction, and on PostgreSQL the next ones are generated while the server inserts the last (two
// cores instead of one). The sums are the same: every counter is an integer count, and the only money moved
// (revenue) is whole payouts (traffic.ts), so adding them in another grouping gives the same doubles.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { insertClicks } from '../../src/modules/clicks/click.repository.ts';
import type { NewClickRow } from '../../src/modules/clicks/click.table.ts';
import { ReportCubeDelta } from '../../src/modules/reports/report-cube-delta.ts';
import { addToCube } from '../../src/modules/reports/report-cube.repository.ts';
import { StatsDelta, clickCounters } from '../../src/modules/stats/stats-delta.ts';
import { createStatsFolder } from '../../src/modules/stats/stats-folder.ts';
import { factsOf } from '../../src/modules/stats/stats-writer.ts';
import { journalStats } from '../../src/modules/stats/stats.repository.ts';
import type { Db } from '../../src/storage/database.ts';
import type { Storage } from '../../src/storage/open-database.ts';
import { CONVERSION_COLUMNS, TRACKER_BATCH, type LoadResult } from './loader.ts';
import { trafficBatches, type ConversionRow, type TrafficPlan } from './traffic.ts';

export interface FastLoadOptions {
  /** Clicks per transaction, whose rollup and cube deltas are merged in memory (default 500,000). */
  chunk?: number;
  /** Click rows per INSERT inside a chunk (default 25,000). */
  insertRows?: number;
  /** As loadTraffic's: whole batches of this plan already stored by a stopped load, passed over. */
  stored?: number;
  /** Stop after this many clicks (profiling a big plan's first chunks); default: the whole plan. */
  limit?: number;
}

/** The conversion's rollup facts exactly as loadTraffic builds them (the fields the postback path reads). */
function conversionFacts(click: NewClickRow) {
  return {
    user_id: click.user_id,
    campaign_id: click.campaign_id,
    created_at: click.created_at,
    country: click.country ?? null,
    city: click.city ?? null,
    device: click.device,
    os: click.os ?? null,
    browser: click.browser ?? null,
    asn: click.asn ?? null,
    as_org: click.as_org ?? null,
    referrer: click.referrer ?? null,
    sub1: click.sub1 ?? null,
    sub2: click.sub2 ?? null,
    sub3: click.sub3 ?? null,
    sub4: click.sub4 ?? null,
    sub5: click.sub5 ?? null,
    placement: click.placement ?? null,
    sub6: click.sub6 ?? null,
    sub7: click.sub7 ?? null,
    sub8: click.sub8 ?? null,
    sub9: click.sub9 ?? null,
    sub10: click.sub10 ?? null,
  };
}

export async function loadTrafficFast(
  storage: Storage,
  plan: TrafficPlan,
  progress: (done: number) => void,
  options: FastLoadOptions = {},
): Promise<LoadResult> {
  const chunk = options.chunk ?? 500_000;
  const insertRows = options.insertRows ?? 25_000;
  const stored = options.stored ?? 0;
  const limit = Math.min(plan.total, options.limit ?? plan.total);
  const postgres = storage.dialect.clickPartitions !== null;
  const phases: Record<string, number> = {};
  const add = (name: string, since: number) => {
    phases[name] = (phases[name] ?? 0) + (performance.now() - since) / 1000;
  };
  const folder = createStatsFolder({
    db: storage.db,
    dialect: storage.dialect,
    log: console,
    shard: 0,
    intervalMs: 0,
    chunkRows: 100_000,
  });
  const started = performance.now();
  let generateMs = 0;
  let clicks = stored;
  let conversions = 0;
  let passed = 0;
  const units = trafficBatches(plan, TRACKER_BATCH);
  let exhausted = false;

  /** The next unit of the plan not yet stored, or undefined at the end (timed as generation). */
  const nextUnit = () => {
    for (;;) {
      const t0 = performance.now();
      const next = units.next();
      generateMs += performance.now() - t0;
      if (next.done) {
        exhausted = true;
        return undefined;
      }
      if (passed < stored) {
        passed += next.value.clicks.length;
        if (passed > stored) throw new Error(`${stored} stored clicks are not a whole number of batches of this plan`);
        continue;
      }
      return next.value;
    }
  };

  /** One chunk in one transaction: its clicks and conversions, then its merged journal and cube rows. */
  const writeChunk = async (trx: Db): Promise<number> => {
    if (postgres) await sql`set local synchronous_commit = off`.execute(trx);
    const delta = new StatsDelta();
    const cube = new ReportCubeDelta(0);
    let rows: NewClickRow[] = [];
    let converted: ConversionRow[] = [];
    let inFlight: Promise<void> | undefined;
    let written = 0;
    const send = async () => {
      const t0 = performance.now();
      if (inFlight) await inFlight;
      add('insert wait', t0);
      const clickRows = rows;
      const conversionRows = converted;
      rows = [];
      converted = [];
      // Not awaited here: PostgreSQL inserts these while the next rows are generated (SQLite's insert is synchronous).
      inFlight = (async () => {
        const t1 = performance.now();
        await insertClicks(trx, storage.dialect, clickRows);
        if (conversionRows.length > 0)
          await storage.dialect.insertBatch(
            trx as unknown as Kysely<unknown>,
            'conversions',
            CONVERSION_COLUMNS,
            conversionRows,
          );
        add('insert', t1);
      })();
      // A rejected insert is awaited (and thrown) by the next send or the chunk's end; this keeps it from being unhandled meanwhile.
      inFlight.catch(() => undefined);
    };
    while (written < chunk && clicks + written < limit) {
      const unit = nextUnit();
      if (!unit) break;
      const t0 = performance.now();
      const byId = new Map<string, NewClickRow>();
      for (const row of unit.clicks) {
        const facts = factsOf(row);
        const counters = clickCounters(facts);
        delta.add(facts, counters);
        cube.add(row, counters);
        byId.set(row.id, row);
      }
      for (const conversion of unit.conversions) {
        if (conversion.status === 'rejected') continue;
        const click = byId.get(conversion.click_id)!;
        cube.add(click, { conversions: 1, revenue: conversion.payout });
        delta.add(conversionFacts(click), { conversions: 1, revenue: conversion.payout });
      }
      add('deltas', t0);
      rows.push(...unit.clicks);
      converted.push(...unit.conversions);
      written += unit.clicks.length;
      conversions += unit.conversions.length;
      if (rows.length >= insertRows) await send();
    }
    if (rows.length > 0) await send();
    const t0 = performance.now();
    if (inFlight) await inFlight;
    add('insert wait', t0);
    const t1 = performance.now();
    await journalStats(trx, storage.dialect, delta);
    add('journal', t1);
    const t2 = performance.now();
    await addToCube(trx, storage.dialect, cube.rows());
    add('cube', t2);
    return written;
  };

  while (!exhausted && clicks < limit) {
    let commitFrom = 0;
    const written = await storage.db.transaction().execute(async (trx) => {
      const n = await writeChunk(trx);
      commitFrom = performance.now();
      return n;
    });
    add('commit', commitFrom);
    if (written === 0) break;
    clicks += written;
    const t0 = performance.now();
    await folder.foldAll();
    add('fold', t0);
    progress(clicks);
  }
  const seconds = (performance.now() - started) / 1000;
  const count = async (table: 'click_stats_periods' | 'click_stats_journal') =>
    Number(
      (
        await storage.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    clicks,
    conversions,
    rollupRows: await count('click_stats_periods'),
    journalRows: await count('click_stats_journal'),
    seconds,
    generateSeconds: generateMs / 1000,
    phases,
  };
}
