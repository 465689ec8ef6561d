import type { Db } from '../../storage/database.ts';
import type { ClickRow } from './click.table.ts';

/** What a beacon is judged against, and whether the click already has one. */
export type BeaconTarget = Pick<
  ClickRow,
  'id' | 'created_at' | 'user_id' | 'campaign_id' | 'country' | 'device' | 'os' | 'user_agent' | 'beacon'
>;

export async function findBeaconTarget(db: Db, id: string): Promise<BeaconTarget | undefined> {
  return db
    .selectFrom('clicks')
    .select(['id', 'created_at', 'user_id', 'campaign_id', 'country', 'device', 'os', 'user_agent', 'beacon'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Writes the click's beacon only if it has none (or still has `expected`): two beacons racing for one
 * click cannot both be judged, and a page view's update never overwrites another's. True when written.
 */
export async function writeBeacon(
  db: Db,
  click: Pick<ClickRow, 'id' | 'created_at'>,
  expected: string | null,
  beacon: string,
): Promise<boolean> {
  const update = db
    .updateTable('clicks')
    .set({ beacon })
    .where('id', '=', click.id)
    .where('created_at', '=', click.created_at);
  const result = await (
    expected === null ? update.where('beacon', 'is', null) : update.where('beacon', '=', expected)
  ).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Clicks of these campaigns made in [from, to) that no beacon reached, oldest first (verified crawlers run no tags). */
export async function listClicksWithoutBeacon(
  db: Db,
  campaignIds: readonly number[],
  from: number,
  to: number,
  limit: number,
): Promise<Pick<ClickRow, 'id' | 'created_at'>[]> {
  if (campaignIds.length === 0) return [];
  return db
    .selectFrom('clicks')
    .select(['id', 'created_at'])
    .where('campaign_id', 'in', campaignIds)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .where('beacon', 'is', null)
    .where('is_verified_bot', '=', 0)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}
