import type { Db } from '../../storage/database.ts';
import { offsetPage } from '../../storage/offset-page.ts';
import type { ConnectionRow, NewConnectionRow } from './connection.table.ts';
import type { ConnectionStatus } from './connection.enums.ts';

/**
 * The credentials are sealed with the row's id as additional data, so the id comes first: two writes,
 * which `trx` (a transaction the caller holds, the audit row's too) keeps together.
 */
export async function insertConnection(
  trx: Db,
  row: NewConnectionRow,
  seal: (id: number) => string,
): Promise<ConnectionRow> {
  const inserted = await trx.insertInto('connections').values(row).returningAll().executeTakeFirstOrThrow();
  return trx
    .updateTable('connections')
    .set({ credentials: seal(inserted.id) })
    .where('id', '=', inserted.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findConnection(db: Db, userId: number, id: number): Promise<ConnectionRow | undefined> {
  return db.selectFrom('connections').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
}

export async function findConnectionById(db: Db, id: number): Promise<ConnectionRow | undefined> {
  return db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listConnections(
  db: Db,
  userId: number,
  limit: number,
  offset: number,
): Promise<{ rows: ConnectionRow[]; total: number }> {
  return offsetPage(db.selectFrom('connections').where('user_id', '=', userId), (query) =>
    query.selectAll().orderBy('id').limit(limit).offset(offset),
  );
}

/** The account's connections that are not waiting for new credentials (conversions are queued for these). */
export async function listUsableConnections(db: Db, userId: number): Promise<ConnectionRow[]> {
  return db.selectFrom('connections').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

/** Every Google connection in good standing, for the exclusion schedule. */
export async function listGoogleConnections(db: Db): Promise<ConnectionRow[]> {
  return db
    .selectFrom('connections')
    .selectAll()
    .where('platform', '=', 'google')
    .where('status', '=', 'ok')
    .orderBy('id')
    .execute();
}

export async function updateConnection(
  db: Db,
  userId: number,
  id: number,
  changes: Partial<
    Pick<ConnectionRow, 'name' | 'settings' | 'credentials' | 'status' | 'last_error' | 'last_error_at'>
  > & {
    updated_at: number;
  },
): Promise<ConnectionRow | undefined> {
  return db
    .updateTable('connections')
    .set(changes)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteConnection(db: Db, userId: number, id: number): Promise<boolean> {
  const result = await db
    .deleteFrom('connections')
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** What a call taught about the connection: a success clears the error; a refusal of the credentials flags it. */
export async function markConnection(
  db: Db,
  id: number,
  at: number,
  outcome: { status?: ConnectionStatus; error: string | null },
): Promise<void> {
  await db
    .updateTable('connections')
    .set(
      outcome.error === null
        ? { status: outcome.status ?? 'ok', last_error: null, last_success_at: at }
        : { ...(outcome.status ? { status: outcome.status } : {}), last_error: outcome.error, last_error_at: at },
    )
    .where('id', '=', id)
    .execute();
}
