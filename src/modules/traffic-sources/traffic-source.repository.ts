import type { Db } from '../../storage/database.ts';
import type { NewTrafficSourceRow, Platform, TrafficSourceRow, TrafficSourceUpdate } from './traffic-source.table.ts';

export interface TrafficSourceFilter {
  userId: number;
  platform?: Platform;
  limit: number;
  offset: number;
}

export async function insertTrafficSource(db: Db, row: NewTrafficSourceRow): Promise<TrafficSourceRow> {
  return db.insertInto('traffic_sources').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findTrafficSource(db: Db, userId: number, id: number): Promise<TrafficSourceRow | undefined> {
  return db
    .selectFrom('traffic_sources')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function findTrafficSources(db: Db, userId: number, ids: number[]): Promise<TrafficSourceRow[]> {
  return db.selectFrom('traffic_sources').selectAll().where('user_id', '=', userId).where('id', 'in', ids).execute();
}

/** Every source's id and name, for reports. */
export async function findTrafficSourceNames(
  db: Db,
  userId: number,
): Promise<Array<Pick<TrafficSourceRow, 'id' | 'name'>>> {
  return db.selectFrom('traffic_sources').select(['id', 'name']).where('user_id', '=', userId).execute();
}

export async function listTrafficSources(
  db: Db,
  filter: TrafficSourceFilter,
): Promise<{ rows: TrafficSourceRow[]; total: number }> {
  let query = db.selectFrom('traffic_sources').where('user_id', '=', filter.userId);
  if (filter.platform) query = query.where('platform', '=', filter.platform);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

export async function updateTrafficSource(
  db: Db,
  userId: number,
  id: number,
  changes: TrafficSourceUpdate,
): Promise<TrafficSourceRow | undefined> {
  return db
    .updateTable('traffic_sources')
    .set(changes)
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteTrafficSource(db: Db, userId: number, id: number): Promise<boolean> {
  const result = await db
    .deleteFrom('traffic_sources')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
