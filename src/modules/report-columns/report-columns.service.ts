import { randomInt } from 'node:crypto';
import { yieldToEventLoop } from '../../keyset-pages.ts';
import type { Db } from '../../storage/database.ts';
import {
  groupedColumns,
  matchesNothing,
  NUMERIC_GROUP_COLUMNS,
  type ClickGroup,
  type ClickGroupQuery,
  type TopGroups,
  type TopRows,
} from '../clicks/click-groups.repository.ts';
import { cityWithCountry } from '../stats/dimensions.ts';
import { keyedAsCity, openColumnStore, type CopyState } from './column-store.ts';
import {
  changedClickIds,
  changesAfter,
  columnsEpoch,
  firstClickAt,
  oldestClickAt,
  pruneChanges,
  readCopies,
  type CopiedClick,
} from './report-columns.repository.ts';

/**
 * Keeps this process's columnar copy of the clicks (column-store.ts) and answers click GROUP BYs from it.
 *
 * What the copy holds, and why a report read from it equals one read from the database:
 * - every click made before the watermark, copied as it was when copied. The watermark trails the clock by
 *   `lagMs`, so a click is copied only once the transaction that wrote it is long over; clicks written
 *   later than that with an older time (the outage spool's replay) are noted as changes by the recorder.
 * - a click whose report columns change later (a late finding, a conversion, a lander click-through) is
 *   noted in report_column_changes in the transaction of the change. A sync copies those clicks again.
 *   The cursor passes a change only once it is older than `lagMs`: ids are handed out before commit, so a
 *   newer id can be seen before an older one commits. Every change above the cursor is "stale": a read
 *   leaves those clicks out of the copy and reads them from the database, with the clicks after the
 *   watermark, in one answer.
 * - what retention deleted is dropped at the next sync (the copy keeps nothing older than the oldest click).
 * Reads and syncs take turns (one at a time), so a read never sees a sync half done.
 */
export interface ReportColumnsOptions {
  readonly db: Db;
  readonly path: string;
  readonly lagMs: number;
  readonly memoryMb: number;
  /** The database's own GROUP BY (click-groups.repository.ts), for what the copy does not hold. */
  readonly groupClicks: (query: ClickGroupQuery) => Promise<ClickGroup[]>;
  readonly now?: () => number;
  readonly log?: { warn(object: object, message: string): void };
  /**
   * Runs the copy's few writes to the database (its epoch, pruning the changes) in a turn at SQLite's write
   * lock, when the copy runs on a worker thread (report-columns-thread.ts) beside the event loop's writer.
   */
  readonly turn?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** Changes are kept a day; a copy not synced for most of that is made again rather than trusted. */
export const CHANGES_KEPT_MS = 86_400_000;
const STALE_COPY_MS = 20 * 3_600_000;
/** Clicks per copy step, aimed at: a step holds the event loop while SQLite reads them. */
const STEP_ROWS = 20_000;
const IDS_PER_READ = 500;

export interface ReportColumns {
  /** Copies what is new or changed. Resolves when the copy has caught up with the watermark. */
  sync(): Promise<void>;
  groupClicks(query: ClickGroupQuery): Promise<ClickGroup[]>;
  /**
   * A ranking read (`query`) cut to its top (TopRows), the copy's clicks and the database's (the newest and
   * the stale) together; undefined when the copy holds none of the range yet or a value is too long for it.
   */
  topGroups(query: ClickGroupQuery, top: TopRows): Promise<TopGroups | undefined>;
  /** Clicks held: for the benchmark and the tests. */
  rows(): Promise<number>;
  /**
   * Syncs every `intervalMs` (counted from the end of the last sync), the first one `intervalMs` after
   * start: reports are right before any sync (they read the database), and a start stays quick.
   */
  start(intervalMs: number): void;
  close(): Promise<void>;
}

export async function openReportColumns(options: ReportColumnsOptions): Promise<ReportColumns> {
  const { db, lagMs } = options;
  const now = options.now ?? Date.now;
  const writeTurn = options.turn ?? ((work) => work());
  const store = await openColumnStore(options.path, db, { memoryMb: options.memoryMb });
  let turn: Promise<unknown> = Promise.resolve();
  /** One at a time: each call waits for the one before it, whatever became of it. */
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work, work);
    turn = result.catch(() => undefined);
    return result;
  };
  let span = HOUR_SPAN;
  let epoch: number | undefined;
  let closed = false;

  /** Copies the clicks made in [watermark, until), a step at a time, each step its own transaction. */
  const copyNew = async (until: number) => {
    let { watermark } = await store.state();
    for (;;) {
      if (watermark >= until || closed) return;
      const first = await firstClickAt(db, watermark, until);
      if (first === null) {
        await store.apply({ clicks: [], state: { watermark: until } });
        return;
      }
      const end = Math.min(until, first + span);
      const clicks = await readCopies(db, { from: first, to: end });
      await store.apply({ clicks, state: { watermark: end } });
      watermark = end;
      // Aim the next step at STEP_ROWS clicks: busy hours get short steps, quiet weeks long ones.
      if (clicks.length > STEP_ROWS * 2) span = Math.max(1_000, Math.floor(span / 2));
      else if (clicks.length < STEP_ROWS / 2) span = Math.min(30 * HOUR_SPAN * 24, span * 2);
      await yieldToEventLoop();
    }
  };

  /** Copies again the clicks changed since the cursor; moves the cursor past the changes older than the lag. */
  const copyChanged = async (startedAt: number) => {
    const { watermark, cursor } = await store.state();
    let after = cursor;
    let passed = cursor;
    for (;;) {
      const changes = await changesAfter(db, after, 5_000);
      if (changes.length === 0 || closed) break;
      // Only clicks the copy holds: the rest are copied as they are when the watermark reaches them.
      const held = [...new Set(changes.filter((c) => c.click_created_at < watermark).map((c) => c.click_id))];
      for (let i = 0; i < held.length; i += IDS_PER_READ) {
        const ids = held.slice(i, i + IDS_PER_READ);
        const clicks: CopiedClick[] = await readCopies(db, { ids });
        await store.apply({ clicks, removed: ids, state: {} });
        await yieldToEventLoop();
      }
      // In id order, up to the first change that is not yet older than the lag (gaps are rolled-back ids).
      if (passed === after)
        for (const change of changes) {
          if (change.changed_at >= startedAt - lagMs) break;
          passed = change.id;
        }
      after = changes[changes.length - 1]!.id;
    }
    if (passed !== cursor) await store.apply({ clicks: [], state: { cursor: passed } });
  };

  const sync = async () => {
    const startedAt = now();
    epoch ??= await writeTurn(() => columnsEpoch(db, randomInt(1, 2 ** 47)));
    const state = await store.state();
    if (state.epoch !== epoch || startedAt - state.syncedAt > STALE_COPY_MS) {
      const fresh: CopyState = { watermark: 0, cursor: 0, syncedAt: startedAt, epoch };
      await store.reset(fresh);
    }
    const oldest = await oldestClickAt(db);
    await store.apply({ clicks: [], before: oldest ?? Number.MAX_SAFE_INTEGER, state: {} });
    await copyNew(startedAt - lagMs);
    await copyChanged(startedAt);
    await store.apply({ clicks: [], state: { syncedAt: startedAt } });
    await writeTurn(() => pruneChanges(db, startedAt - CHANGES_KEPT_MS));
  };

  /** Where the copy answers a read: up to `split`, less the `stale` clicks; undefined if it cannot. */
  const copyPart = async (query: ClickGroupQuery) => {
    const { watermark, cursor, epoch: copied } = await store.state();
    // Events are rows per conversion, which the copy does not keep; an unsynced copy holds nothing yet.
    const empty = query.campaignIds?.length === 0 || query.filters.some(matchesNothing);
    if (query.events || empty || copied === 0 || watermark <= query.from) return undefined;
    const split = Math.min(query.to, watermark);
    return { watermark, split, stale: await changedClickIds(db, cursor, query.from, split) };
  };
  /** The groups of the clicks the copy does not answer for: made after the watermark, or stale. */
  const databasePart = async (query: ClickGroupQuery, part: { watermark: number; split: number; stale: string[] }) => {
    const groups: ClickGroup[] = [];
    if (query.to > part.watermark) groups.push(...(await options.groupClicks({ ...query, from: part.watermark })));
    for (let i = 0; i < part.stale.length; i += IDS_PER_READ) {
      const ids = part.stale.slice(i, i + IDS_PER_READ);
      groups.push(...(await options.groupClicks({ ...query, to: part.split, ids })));
    }
    return groups;
  };

  const groupClicks = async (query: ClickGroupQuery): Promise<ClickGroup[]> => {
    const part = await copyPart(query);
    if (!part) return options.groupClicks(query);
    const groups = await store.group({ ...query, to: part.split }, part.stale);
    groups.push(...(await databasePart(query, part)));
    return groups;
  };

  /**
   * The copy's top rows widened by the most any row gains from the database's part (its `slack`): a row left out
   * has less than the count'th value of the copy alone, which no row on the page has in all. The database's
   * groups come whole; the rows counted once whether they are in the copy, the database's part or both.
   */
  const topGroups = async (query: ClickGroupQuery, top: TopRows): Promise<TopGroups | undefined> => {
    const part = await copyPart(query);
    if (!part) return undefined;
    const fromDatabase = await databasePart(query, part);
    // Keyed as the copy keys its top rows: a city with its country (ClickGroupQuery.cityShown), '' as none.
    const cityShown = keyedAsCity(query);
    const columns = groupedColumns(query).filter(
      (column) => !(column === 'campaign_id' && query.acrossCampaigns) && !(cityShown && column === 'country'),
    );
    const none = new Set(top.emptyIsNone);
    const cut = new Set(top.cut);
    const shares = new Map<string, { row: Array<string | number | null>; count: number }>();
    for (const group of fromDatabase) {
      const row = columns.map((column) => {
        const value =
          cityShown && column === 'city'
            ? cityWithCountry(group.keys.city, group.keys.country) || null
            : (group.keys[column] ?? null);
        if (value === null || (none.has(column) && value === '')) return null;
        return NUMERIC_GROUP_COLUMNS.has(column) ? Number(value) : String(value);
      });
      if (row.some((value, at) => typeof value === 'string' && cut.has(columns[at]!) && value.length > top.cutAt))
        return undefined;
      const key = JSON.stringify(row);
      const share = shares.get(key) ?? { row, count: 0 };
      share.count += group.counters[top.counter];
      shares.set(key, share);
    }
    let slack = 0;
    for (const { count } of shares.values()) slack = Math.max(slack, count);
    const shared = { columns, rows: [...shares.values()].map(({ row }) => row) };
    const copied = await store.top({ ...query, to: part.split }, part.stale, top, { slack, shared });
    if (!copied) return undefined;
    return { groups: [...copied.groups, ...fromDatabase], rows: copied.rows + shares.size - copied.shared };
  };

  let timer: NodeJS.Timeout | undefined;
  const syncInTurn = () => inTurn(sync);
  const schedule = (intervalMs: number) => {
    if (!closed) timer = setTimeout(() => tick(intervalMs), intervalMs).unref();
  };
  const tick = (intervalMs: number) => {
    syncInTurn()
      .catch((error: unknown) => options.log?.warn({ err: error }, 'the columnar copy of the clicks did not sync'))
      .finally(() => schedule(intervalMs));
  };

  return {
    sync: syncInTurn,
    groupClicks: (query) => inTurn(() => groupClicks(query)),
    topGroups: (query, top) => inTurn(() => topGroups(query, top)),
    rows: () => inTurn(() => store.rows()),
    start: schedule,
    async close() {
      closed = true;
      clearTimeout(timer);
      await inTurn(async () => store.close());
    },
  };
}

const HOUR_SPAN = 3_600_000;
