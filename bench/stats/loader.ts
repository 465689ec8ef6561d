// Bulk loader: clicks, their conversions and the rollups, written in big transactions the way the
// tracker's recorder and the postback write them (insertClicks + statsWriter.clicksRecorded, and the
// conversions' counters through a StatsDelta into the journal), without the HTTP path; the journal is
// folded into the periods after each transaction, as the server's stats folder would.
import type { Kysely } from 'kysely';
import { insertClicks } from '../../src/modules/clicks/click.repository.ts';
import { StatsDelta } from '../../src/modules/stats/stats-delta.ts';
import { journalStats } from '../../src/modules/stats/stats.repository.ts';
import { ReportCubeDelta } from '../../src/modules/reports/report-cube-delta.ts';
import { addToCube } from '../../src/modules/reports/report-cube.repository.ts';
import { createStatsFolder } from '../../src/modules/stats/stats-folder.ts';
import { factsOf } from '../../src/modules/stats/stats-writer.ts';
import { createReportCubeWriter } from '../../src/modules/reports/report-cube-writer.ts';
import { clickCounters } from '../../src/modules/stats/stats-delta.ts';
import type { BatchColumn } from '../../src/storage/dialect-adapter.ts';
import type { Storage } from '../../src/storage/open-database.ts';
import type { Db } from '../../src/storage/database.ts';
import type { NewClickRow } from '../../src/modules/clicks/click.table.ts';
import { trafficBatches, type ConversionRow, type TrafficPlan } from './traffic.ts';

export const CONVERSION_COLUMNS: readonly BatchColumn[] = [
  { name: 'user_id', pgType: 'bigint' },
  { name: 'campaign_id', pgType: 'bigint' },
  { name: 'click_id', pgType: 'text' },
  { name: 'transaction_id', pgType: 'text' },
  { name: 'dedupe_key', pgType: 'text' },
  { name: 'payout', pgType: 'double precision' },
  { name: 'status', pgType: 'text' },
  { name: 'created_at', pgType: 'bigint' },
  { name: 'updated_at', pgType: 'bigint' },
];

export interface LoadResult {
  clicks: number;
  conversions: number;
  rollupRows: number;
  /** Left in the rollup journal (`unfolded`), read by reports beside the periods. */
  journalRows: number;
  seconds: number;
  /** Of which generating the rows in JS (the rest is the database and the rollup aggregation). */
  generateSeconds: number;
  /** Seconds per step of the write path (clicks, journal, cube, conversions, commit, fold), for profiling the load. */
  phases: Record<string, number>;
}

/** Clicks per transaction in the unfolded tail: about what the tracker's group commit writes at a time. */
export const TRACKER_BATCH = 50;

/**
 * `unfolded`: the last this many clicks are written TRACKER_BATCH at a time and left in the rollup
 * journal, as on a live server between two passes of its folder (reports then read them beside the periods).
 * `stored`: a load of the same plan that stopped after this many clicks is carried on: the traffic is
 * generated again from the start (the same seed gives the same clicks) and the first `stored` clicks are
 * passed over. Each batch is one transaction, so a stopped load stored whole batches (its last fold may be
 * unfinished: the journal is folded here like any other).
 */
export async function loadTraffic(
  storage: Storage,
  plan: TrafficPlan,
  batch: number,
  progress: (done: number) => void,
  unfolded = 0,
  stored = 0,
  /** Stop after this many clicks (a big plan's first batches, to compare with the fast loader). */
  limit = plan.total,
): Promise<LoadResult> {
  // statsWriter.clicksRecorded's two steps, timed apart: the journal's delta, then the cube's.
  const cubeWriter = createReportCubeWriter(storage.dialect, 0);
  const phases: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      phases[name] = (phases[name] ?? 0) + (performance.now() - t0) / 1000;
    }
  };
  // Bigger chunks than the server's: nothing else waits for the database here.
  const folder = createStatsFolder({
    db: storage.db,
    dialect: storage.dialect,
    log: console,
    shard: 0,
    intervalMs: 0,
    chunkRows: 20_000,
  });
  const started = performance.now();
  let generateMs = 0;
  let clicks = stored;
  let conversions = 0;
  let passed = 0;

  const write = async (chunk: { clicks: NewClickRow[]; conversions: ConversionRow[] }) => {
    let bodyDone = 0;
    await storage.db.transaction().execute(async (trx) => {
      await timed('clicks', () => insertClicks(trx, storage.dialect, chunk.clicks));
      await timed('journal', () => {
        const delta = new StatsDelta();
        for (const row of chunk.clicks) {
          const facts = factsOf(row);
          delta.add(facts, clickCounters(facts));
        }
        return journalStats(trx, storage.dialect, delta);
      });
      await timed('cube', () => cubeWriter.clicksRecorded(trx, chunk.clicks));
      bodyDone = performance.now();
      if (chunk.conversions.length === 0) return;
      await timed('conversions', async () => {
        await writeConversions(trx, chunk);
      });
      bodyDone = performance.now();
    });
    phases.commit = (phases.commit ?? 0) + (performance.now() - bodyDone) / 1000;
    clicks += chunk.clicks.length;
    conversions += chunk.conversions.length;
    progress(clicks);
  };

  const writeConversions = async (trx: Db, chunk: { clicks: NewClickRow[]; conversions: ConversionRow[] }) => {
    const byId = new Map(chunk.clicks.map((row) => [row.id, row]));
    await storage.dialect.insertBatch(
      trx as unknown as Kysely<unknown>,
      'conversions',
      CONVERSION_COLUMNS,
      chunk.conversions,
    );
    // What statsWriter.conversionChanged adds for each new counted conversion, merged for the batch.
    const delta = new StatsDelta();
    // And what it adds to the report cube (statsWriter.conversionChanged moves both).
    const cube = new ReportCubeDelta(0);
    for (const conversion of chunk.conversions) {
      if (conversion.status === 'rejected') continue;
      const click = byId.get(conversion.click_id)!;
      cube.add(click, { conversions: 1, revenue: conversion.payout });
      delta.add(
        {
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
        },
        { conversions: 1, revenue: conversion.payout },
      );
    }
    await journalStats(trx, storage.dialect, delta);
    await addToCube(trx, storage.dialect, cube.rows());
  };

  let pending: { clicks: NewClickRow[]; conversions: ConversionRow[] } = { clicks: [], conversions: [] };
  const flush = async () => {
    if (pending.clicks.length === 0) return;
    await write(pending);
    pending = { clicks: [], conversions: [] };
    await timed('fold', () => folder.foldAll());
  };
  const units = trafficBatches(plan, TRACKER_BATCH);
  for (;;) {
    const t0 = performance.now();
    const next = units.next();
    generateMs += performance.now() - t0;
    if (next.done || clicks + pending.clicks.length >= limit) break;
    const unit = next.value;
    if (passed < stored) {
      passed += unit.clicks.length;
      if (passed > stored) throw new Error(`${stored} stored clicks are not a whole number of batches of this plan`);
      continue;
    }
    if (clicks + pending.clicks.length + unit.clicks.length > plan.total - unfolded) {
      await flush();
      await write(unit);
      continue;
    }
    pending.clicks.push(...unit.clicks);
    pending.conversions.push(...unit.conversions);
    if (pending.clicks.length >= batch) await flush();
  }
  await flush();
  const seconds = (performance.now() - started) / 1000;
  const periods = await storage.db
    .selectFrom('click_stats_periods')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const journal = await storage.db
    .selectFrom('click_stats_journal')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return {
    clicks,
    conversions,
    rollupRows: Number(periods.n),
    journalRows: Number(journal.n),
    seconds,
    generateSeconds: generateMs / 1000,
    phases,
  };
}
