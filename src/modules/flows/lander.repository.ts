import type { Db } from '../../storage/database.ts';
import type { NewLanderRow, LanderRow, LanderUpdate } from './lander.table.ts';

export async function insertLander(db: Db, row: NewLanderRow): Promise<LanderRow> {
  return db.insertInto('landers').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findLander(db: Db, userId: number, id: number): Promise<LanderRow | undefined> {
  return db.selectFrom('landers').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

export async function findLanders(db: Db, userId: number, ids: readonly number[]): Promise<LanderRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('landers').selectAll().where('user_id', '=', userId).where('id', 'in', ids).execute();
}

export async function listLanders(
  db: Db,
  filter: { userId: number; limit: number; offset: number },
): Promise<{ rows: LanderRow[]; total: number }> {
  const query = db.selectFrom('landers').where('user_id', '=', filter.userId);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

export async function updateLander(
  db: Db,
  userId: number,
  id: number,
  changes: LanderUpdate,
): Promise<LanderRow | undefined> {
  return db
    .updateTable('landers')
    .set(changes)
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteLander(db: Db, userId: number, id: number): Promise<boolean> {
  const result = await db.deleteFrom('landers').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
