import type { ColumnDefinitionBuilder, CreateTableBuilder, Dialect, Expression, Kysely, RawBuilder } from 'kysely';

/** A column of a batch insert, with the PostgreSQL type its array is cast to. */
export interface BatchColumn {
  readonly name: string;
  readonly pgType: 'text' | 'bigint' | 'smallint' | 'double precision';
}

/** One partition of `clicks`: a UTC week [from, to), or the default partition (null bounds). */
export interface ClickPartition {
  readonly name: string;
  readonly from: number | null;
  readonly to: number | null;
}

/**
 * Raw clicks kept in one partition per UTC week, Monday to Monday (PostgreSQL, from migration 007), so
 * that retention drops a whole week instead of deleting its rows one by one.
 */
export interface ClickPartitions {
  /** Catches rows no weekly partition covers (a day not created yet, a clock far off); never dropped. */
  readonly defaultPartition: string;
  /** Migration 007: turns `clicks` into a partitioned table, with a partition for every week holding rows and up to `daysAhead` days ahead. */
  partitionTable(db: Kysely<unknown>, now: number, daysAhead: number): Promise<void>;
  list(db: Kysely<unknown>): Promise<ClickPartition[]>;
  /** Creates the missing partitions of the weeks overlapping [from, to), moving their rows out of the default partition; returns their names. */
  ensure(db: Kysely<unknown>, from: number, to: number): Promise<string[]>;
  /** Detaches and drops every weekly partition whose whole week ends at or before `cutoff`; returns their names. */
  dropBefore(db: Kysely<unknown>, cutoff: number): Promise<string[]>;
}

/**
 * What differs between the databases we run on, as methods and capability flags, so repositories
 * never branch on the dialect (ARCHITECTURE.md, "Dialects behind the adapter").
 */
export interface DialectAdapter {
  readonly name: 'sqlite' | 'postgres';
  readonly kyselyDialect: Dialect;
  /** Column type for 64-bit integers (epoch milliseconds, counters). */
  readonly bigintType: 'integer' | 'bigint';
  /** Column type for floating-point money. */
  readonly doubleType: 'real' | 'double precision';
  /** A table stored in primary-key order where the database supports it (SQLite WITHOUT ROWID). */
  clustered<T extends string, C extends string>(table: CreateTableBuilder<T, C>): CreateTableBuilder<T, C>;
  /** An auto-incrementing integer primary key. */
  primaryKey(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** The id column's data type, which for PostgreSQL carries the sequence. */
  readonly primaryKeyType: 'integer' | 'bigserial';
  /** SELECT … FOR UPDATE exists (PostgreSQL); SQLite has a single writer and no such clause. */
  readonly supportsRowLocks: boolean;
  /**
   * FOR UPDATE SKIP LOCKED exists (PostgreSQL): a node claiming background work passes over rows another
   * node is claiming at that moment instead of queueing behind its lock.
   */
  readonly supportsSkipLocked: boolean;
  /**
   * True when the error says the database cannot be reached or cannot write right now (connection
   * refused or lost, timeout, server shutting down, disk full, locked): worth retrying, and the
   * API's answer is 503, not a bug's 500.
   */
  isUnavailable(error: unknown): boolean;
  /**
   * An aggregate of a group's rows as the text of one JSON array of arrays, one per row, of `values`.
   * A report of a few hundred rows (cities, hours) spent more in the driver building a JavaScript object
   * per row than in the database; one JSON text parses for a fraction (BENCHMARKS.md, "Measurements behind the code").
   */
  jsonRows(values: readonly Expression<unknown>[]): RawBuilder<string>;
  /**
   * Clears a table's dead row versions where the database keeps them (PostgreSQL: VACUUM, passing over a
   * table another session is vacuuming); SQLite reuses deleted rows' space in place, so nothing to do.
   */
  vacuum(db: Kysely<unknown>, table: string): Promise<void>;
  /** True when the error is a unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean;
  /**
   * Schema of the migration bookkeeping tables. Kysely's existence check looks across all schemas, so a
   * PostgreSQL database holding several CloakRadar schemas must name its own.
   */
  readonly migrationSchema: string | undefined;
  /**
   * Inserts many rows in one transaction with a statement planned once, not rebuilt per batch: the
   * tracker's group commit. (SQLite: one prepared INSERT run per row; PostgreSQL: INSERT … SELECT
   * FROM unnest(arrays), a fixed text whatever the batch size.)
   */
  insertBatch(
    db: Kysely<unknown>,
    table: string,
    columns: readonly BatchColumn[],
    rows: readonly object[],
  ): Promise<void>;
  /**
   * Adds rows of counters into a table keyed by `keys`: a missing row is inserted, an existing one
   * gets each counter column increased by the row's value. Rows must have distinct keys; they are
   * written in key order so concurrent writers lock rows in the same order (no deadlocks).
   */
  addToCounters(
    db: Kysely<unknown>,
    table: string,
    keys: readonly BatchColumn[],
    counters: readonly BatchColumn[],
    rows: readonly object[],
  ): Promise<void>;
  /** Weekly partitions of `clicks` (PostgreSQL); null where the table is a single one (SQLite). */
  readonly clickPartitions: ClickPartitions | null;
  /** Stops what the dialect runs beside the connection (SQLite's checkpoint thread); after Kysely's destroy. */
  dispose(): Promise<void>;
  /** Checks that the database answers. */
  ping(): Promise<void>;
}
