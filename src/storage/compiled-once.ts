import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';

const SLOT = Symbol('slot');
interface SlotMarker {
  readonly [SLOT]: number;
}

/** Stands for the value at `index` of each run's values (typed as the column it is compared with or set to). */
export type Slot = <T>(index: number) => T;

const slotOf = (value: unknown): number | undefined =>
  typeof value === 'object' && value !== null && SLOT in value ? (value as SlotMarker)[SLOT] : undefined;

/**
 * A query built and compiled by Kysely once per dialect, then run with new values: for statements the
 * click path runs over and over (a late finding's read and update of each click), where building and
 * compiling the query cost about as much as running it on SQLite (issue 24's profile). The SQL text is
 * then the same on every run, so SQLite's statement cache (dialects/sqlite.ts) reuses its prepared statement.
 *
 * `build` gets `slot(i)` for every value, and must give every value as a slot: a value written into the
 * query itself would be frozen into every later run, so compiling one fails.
 */
export function compiledOnce<DB, O>(
  build: (db: Kysely<DB>, slot: Slot) => Compilable<O>,
): (db: Kysely<DB>, values: readonly unknown[]) => Promise<QueryResult<O>> {
  // Per dialect adapter: a Kysely and its transactions share one; tests run both dialects in one process.
  const compiled = new WeakMap<object, { query: CompiledQuery<O>; slots: number[] }>();
  return async (db, values) => {
    const adapter = db.getExecutor().adapter;
    let entry = compiled.get(adapter);
    if (!entry) {
      const query = build(db, <T>(index: number) => ({ [SLOT]: index }) as unknown as T).compile();
      const slots = query.parameters.map((parameter) => {
        const index = slotOf(parameter);
        if (index === undefined) throw new Error(`compiledOnce: a value not given as a slot in ${query.sql}`);
        return index;
      });
      entry = { query, slots };
      compiled.set(adapter, entry);
    }
    const { query, slots } = entry;
    return db.executeQuery<O>({ ...query, parameters: slots.map((index) => values[index]) });
  };
}
