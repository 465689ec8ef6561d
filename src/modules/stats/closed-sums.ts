import { LRUCache } from 'lru-cache';
import { DAILY, HOURLY, startOfDay, type PeriodRange } from './periods.ts';

/** A rollup read's result row: its key columns' values, then its counters (stats.repository.ts sumBy). */
export interface SumRow<C> {
  keys: unknown[];
  counters: C;
}

/**
 * The sums of the closed days of a rollup read, kept in the process between requests: a report over 30
 * days summed ~3,600 rollup rows per request to show 60 countries (BENCHMARKS.md, "Reports"), rows that
 * change only when a late conversion or finding lands on a closed day. Each entry holds the account's
 * click_stats_versions number it was read under (migration 032), and is used only while that number
 * stands; the open days and every unfolded journal row are read each time (stats.repository.ts
 * sumPeriods).
 */
export interface ClosedSums {
  /**
   * Periods before this are closed: the start of the UTC day an hour ago. The hour is for clocks: the
   * fold raises the version for rows before its own day's start, so a process whose clock runs up to an
   * hour ahead of a folder's still counts that folder's "today" as open.
   */
  closedBefore(): number;
  get<C>(key: string, version: number): ReadonlyArray<SumRow<C>> | undefined;
  set<C>(key: string, version: number, rows: ReadonlyArray<SumRow<C>>): void;
  /**
   * click_stats_weeks' `built_until`, read at most every few seconds: it only grows (a week built stays
   * built), and one read too old only has a report read a built week as its days, which the rollups keep
   * too. A statement less per report (on PostgreSQL each is a round trip: BENCHMARKS.md, "Reports").
   */
  weeksBuiltUntil(read: () => Promise<number>): Promise<number>;
}

/** How long a `built_until` read is used for. */
const WEEKS_READ_MS = 10_000;
/** A clock skew the closed days allow for (closedBefore). */
const CLOCK_SLACK_MS = 3_600_000;
/**
 * Rows kept over all entries (~300 bytes each: ~15 MB), and the largest result kept: a report of a few
 * hundred values reads the same closed sums again and again; one of tens of thousands of sub ids is rare,
 * and would push out a hundred of those.
 */
const MAX_ROWS = 50_000;
const MAX_ENTRY_ROWS = 5_000;

interface Entry {
  version: number;
  rows: ReadonlyArray<SumRow<unknown>>;
}

export function createClosedSums(now: () => number, maxRows = MAX_ROWS): ClosedSums {
  const entries = new LRUCache<string, Entry>({
    maxSize: maxRows,
    sizeCalculation: (entry) => entry.rows.length + 1,
  });
  let weeks: { at: number; builtUntil: Promise<number> } | undefined;
  return {
    closedBefore: () => startOfDay(now() - CLOCK_SLACK_MS),
    weeksBuiltUntil(read) {
      const at = performance.now();
      if (!weeks || at - weeks.at > WEEKS_READ_MS) {
        const builtUntil = read();
        weeks = { at, builtUntil };
        // A failed read is not kept: the next report reads again.
        builtUntil.catch(() => {
          if (weeks?.builtUntil === builtUntil) weeks = undefined;
        });
      }
      return weeks.builtUntil;
    },
    get<C>(key: string, version: number) {
      const entry = entries.get(key);
      return entry?.version === version ? (entry.rows as ReadonlyArray<SumRow<C>>) : undefined;
    },
    set<C>(key: string, version: number, rows: ReadonlyArray<SumRow<C>>) {
      if (rows.length <= Math.min(MAX_ENTRY_ROWS, maxRows - 1)) entries.set(key, { version, rows });
    },
  };
}

/**
 * `ranges` as those wholly before `boundary` (a UTC day's start) and the rest. An hour or day range across
 * it is cut there; a week across it stays whole with the open ones (it is not closed yet).
 */
export function splitAtDay(
  ranges: readonly PeriodRange[],
  boundary: number,
): { closed: PeriodRange[]; open: PeriodRange[] } {
  const closed: PeriodRange[] = [];
  const open: PeriodRange[] = [];
  for (const range of ranges) {
    if (range.to <= boundary) closed.push(range);
    else if (range.from >= boundary || (range.hours !== HOURLY && range.hours !== DAILY)) open.push(range);
    else {
      closed.push({ ...range, to: boundary });
      open.push({ ...range, from: boundary });
    }
  }
  return { closed, open };
}

/** The sum of two reads' rows, by their key columns (the first `keyCount` values). Fresh objects: callers add into them. */
export function addSumRows<N extends string>(
  a: ReadonlyArray<SumRow<Record<N, number>>>,
  b: ReadonlyArray<SumRow<Record<N, number>>>,
  keyCount: number,
  names: readonly N[],
): Array<SumRow<Record<N, number>>> {
  const merged = new Map<string, SumRow<Record<N, number>>>();
  for (const part of [a, b])
    for (const row of part) {
      const key = keyCount === 1 ? String(row.keys[0]) : row.keys.slice(0, keyCount).join('\u0000');
      const sum = merged.get(key);
      if (!sum) merged.set(key, { keys: row.keys, counters: { ...row.counters } });
      else for (const name of names) sum.counters[name] += row.counters[name];
    }
  return [...merged.values()];
}
