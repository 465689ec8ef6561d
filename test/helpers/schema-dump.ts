import { sql, type Kysely } from 'kysely';

/**
 * The stored schema of a database, as plain data that compares and diffs well: every table with its
 * columns (type, nullability, default), primary key, indexes and DDL as the database stores it.
 * Names that depend on the run (a test's PostgreSQL schema, the weeks clicks are partitioned into
 * at migration time) are replaced by placeholders.
 */
export interface SchemaDump {
  readonly tables: Record<string, TableDump>;
}

interface TableDump {
  readonly columns: readonly ColumnDump[];
  readonly primaryKey: readonly string[];
  readonly indexes: Record<string, string>;
  readonly extra: Record<string, string>;
}

interface ColumnDump {
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
  readonly default: string | null;
}

/** `clicks_w20261123` is made for the week of the migration's run: one placeholder stands for each. */
const WEEKLY_PARTITION = /clicks_w\d{8}/g;
const anyWeek = (text: string) => text.replace(WEEKLY_PARTITION, 'clicks_wYYYYMMDD');
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export async function dumpSchema(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres', schema?: string) {
  return dialect === 'sqlite' ? dumpSqlite(db) : dumpPostgres(db, schema ?? 'public');
}

async function dumpSqlite(db: Kysely<unknown>): Promise<SchemaDump> {
  const { rows: objects } = await sql<{ type: string; name: string; tbl_name: string; sql: string | null }>`
    select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%' order by name`.execute(db);
  const tables: Record<string, TableDump> = {};
  for (const table of objects.filter((o) => o.type === 'table')) {
    const { rows: columns } = await sql<{
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }>`
      select name, type, "notnull", dflt_value, pk from pragma_table_info(${table.name}) order by cid`.execute(db);
    const { rows: foreignKeys } = await sql<{ table: string; from: string; to: string; on_delete: string }>`
      select "table", "from", "to", on_delete from pragma_foreign_key_list(${table.name}) order by id, seq`.execute(db);
    const indexes: Record<string, string> = {};
    const { rows: indexList } = await sql<{ name: string; unique: number; origin: string; partial: number }>`
      select name, "unique", origin, partial from pragma_index_list(${table.name})`.execute(db);
    for (const index of indexList) {
      const { rows: indexColumns } = await sql<{ name: string | null; desc: number }>`
        select name, "desc" from pragma_index_xinfo(${index.name}) where key = 1 order by seqno`.execute(db);
      const ddl = objects.find((o) => o.type === 'index' && o.name === index.name)?.sql;
      indexes[index.name] = [
        index.unique ? 'unique' : 'non-unique',
        `origin ${index.origin}`,
        index.partial ? 'partial' : 'full',
        `(${indexColumns.map((c) => `${c.name ?? '<expr>'}${c.desc ? ' desc' : ''}`).join(', ')})`,
        ddl ? oneLine(ddl) : '',
      ]
        .filter(Boolean)
        .join(' ');
    }
    tables[table.name] = {
      columns: columns.map((c) => ({ name: c.name, type: c.type, notNull: c.notnull === 1, default: c.dflt_value })),
      primaryKey: columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      indexes,
      extra: {
        ddl: oneLine(table.sql ?? ''),
        ...(foreignKeys.length > 0
          ? {
              foreignKeys: foreignKeys
                .map((k) => `${k.from} -> ${k.table}(${k.to}) on delete ${k.on_delete}`)
                .join('; '),
            }
          : {}),
      },
    };
  }
  return { tables };
}

async function dumpPostgres(db: Kysely<unknown>, schema: string): Promise<SchemaDump> {
  const local = (text: string) => anyWeek(text.replaceAll(`${schema}.`, '<schema>.'));
  const { rows: tableRows } = await sql<{
    name: string;
    kind: string;
    partitionKey: string | null;
    bound: string | null;
  }>`
    select c.relname as name, c.relkind as kind,
           pg_get_partkeydef(c.oid) as "partitionKey",
           pg_get_expr(c.relpartbound, c.oid) as bound
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = ${schema} and c.relkind in ('r', 'p') order by c.relname`.execute(db);
  const tables: Record<string, TableDump> = {};
  for (const table of tableRows) {
    const name = anyWeek(table.name);
    // Weekly partitions are alike but for their bounds, which depend on the day of the run.
    if (tables[name]) continue;
    const { rows: columns } = await sql<{
      column_name: string;
      data_type: string;
      is_nullable: string;
      column_default: string | null;
    }>`select column_name, data_type, is_nullable, column_default from information_schema.columns
        where table_schema = ${schema} and table_name = ${table.name} order by ordinal_position`.execute(db);
    const { rows: constraints } = await sql<{ name: string; definition: string }>`
      select con.conname as name, pg_get_constraintdef(con.oid) as definition
        from pg_constraint con join pg_class c on c.oid = con.conrelid
        join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = ${schema} and c.relname = ${table.name} order by con.conname`.execute(db);
    const { rows: primaryKey } = await sql<{ column: string }>`
      select a.attname as column
        from pg_index i join pg_class c on c.oid = i.indrelid
        join pg_namespace n on n.oid = c.relnamespace
        join lateral unnest(i.indkey) with ordinality as k(attnum, position) on true
        join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
       where i.indisprimary and n.nspname = ${schema} and c.relname = ${table.name}
         and k.position <= i.indnkeyatts
       order by k.position`.execute(db);
    const { rows: indexRows } = await sql<{ indexname: string; indexdef: string }>`
      select indexname, indexdef from pg_indexes where schemaname = ${schema} and tablename = ${table.name}
       order by indexname`.execute(db);
    tables[name] = {
      columns: columns.map((c) => ({
        name: c.column_name,
        type: c.data_type,
        notNull: c.is_nullable === 'NO',
        default: c.column_default === null ? null : local(c.column_default),
      })),
      primaryKey: primaryKey.map((c) => c.column),
      indexes: Object.fromEntries(indexRows.map((i) => [anyWeek(i.indexname), local(i.indexdef)])),
      extra: {
        kind: table.kind === 'p' ? 'partitioned table' : 'table',
        ...(table.partitionKey ? { partitionKey: table.partitionKey } : {}),
        ...(table.bound && name === table.name ? { bound: table.bound } : {}),
        ...Object.fromEntries(constraints.map((c) => [`constraint ${anyWeek(c.name)}`, local(c.definition)])),
      },
    };
  }
  return { tables };
}
