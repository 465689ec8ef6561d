import type { Db } from '../../storage/database.ts';
import type { NewOfferRow, OfferRow, OfferUpdate } from './offer.table.ts';
import type { OfferStatus } from './flow.enums.ts';

export async function insertOffer(db: Db, row: NewOfferRow): Promise<OfferRow> {
  return db.insertInto('offers').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findOffer(db: Db, userId: number, id: number): Promise<OfferRow | undefined> {
  return db.selectFrom('offers').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

export async function findOffers(db: Db, userId: number, ids: readonly number[]): Promise<OfferRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('offers').selectAll().where('user_id', '=', userId).where('id', 'in', ids).execute();
}

export async function listOffers(
  db: Db,
  filter: { userId: number; status?: OfferStatus; limit: number; offset: number },
): Promise<{ rows: OfferRow[]; total: number }> {
  let query = db.selectFrom('offers').where('user_id', '=', filter.userId);
  if (filter.status) query = query.where('status', '=', filter.status);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

export async function updateOffer(
  db: Db,
  userId: number,
  id: number,
  changes: OfferUpdate,
): Promise<OfferRow | undefined> {
  return db
    .updateTable('offers')
    .set(changes)
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteOffer(db: Db, userId: number, id: number): Promise<boolean> {
  const result = await db.deleteFrom('offers').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
