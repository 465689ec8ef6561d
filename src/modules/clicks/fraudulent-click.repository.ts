import type { Db } from '../../storage/database.ts';
import type { ClickRow } from './click.table.ts';

/** One campaign's clicks in [from, to), epoch ms. */
export interface CampaignClickScope {
  userId: number;
  campaignId: number;
  from: number;
  toExclusive: number;
}

export type FraudulentClickRow = Pick<
  ClickRow,
  | 'id'
  | 'created_at'
  | 'ip'
  | 'country'
  | 'platform_click_id'
  | 'primary_fraud_type'
  | 'reasons'
  | 'cost_source'
  | 'cost'
>;

/** Where the previous chunk ended: the keyset (created_at, id) of its last row. */
export interface ClickCursor {
  createdAt: number;
  id: string;
}

function scoped(db: Db, scope: CampaignClickScope) {
  return db
    .selectFrom('clicks')
    .where('user_id', '=', scope.userId)
    .where('campaign_id', '=', scope.campaignId)
    .where('created_at', '>=', scope.from)
    .where('created_at', '<', scope.toExclusive);
}

export async function countClicks(db: Db, scope: CampaignClickScope): Promise<number> {
  const row = await scoped(db, scope)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Fraudulent clicks per primary type. Verified ad-platform crawlers never carry a fraud type; the
 * explicit condition keeps them out should a later rule ever flag one (SPEC §3).
 */
export async function countFraudulentByType(db: Db, scope: CampaignClickScope): Promise<Map<string, number>> {
  const rows = await scoped(db, scope)
    .select(['primary_fraud_type', (eb) => eb.fn.countAll<number>().as('n')])
    .where('primary_fraud_type', 'is not', null)
    .where('is_verified_bot', '=', 0)
    .groupBy('primary_fraud_type')
    .execute();
  return new Map(rows.map((row) => [row.primary_fraud_type ?? '', Number(row.n)]));
}

/**
 * The fraudulent clicks that carried their own price (a traffic source's cost_param, SPEC section 7):
 * how many, and what they cost. The others are charged under the campaign's model.
 */
export async function sumPricedFraudulent(
  db: Db,
  scope: CampaignClickScope,
): Promise<{ clicks: number; cost: number }> {
  const row = await scoped(db, scope)
    .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('cost').as('cost')])
    .where('primary_fraud_type', 'is not', null)
    .where('is_verified_bot', '=', 0)
    .where('cost_source', '=', 'param')
    .executeTakeFirstOrThrow();
  return { clicks: Number(row.n), cost: Number(row.cost ?? 0) };
}

/**
 * The next `limit` fraudulent clicks after `after`, in time order. Keyset, not OFFSET: every chunk is
 * a range read of the (campaign_id, created_at, id) index that stops at its limit, however deep into
 * the report it is. The cursor is spelled as a bound on created_at plus the tie-break, not a row-value
 * comparison, so every database sees the index range.
 */
export async function listFraudulentClicksAfter(
  db: Db,
  scope: CampaignClickScope,
  after: ClickCursor | null,
  limit: number,
): Promise<FraudulentClickRow[]> {
  let query = scoped(db, scope)
    .select([
      'id',
      'created_at',
      'ip',
      'country',
      'platform_click_id',
      'primary_fraud_type',
      'reasons',
      'cost_source',
      'cost',
    ])
    .where('primary_fraud_type', 'is not', null)
    .where('is_verified_bot', '=', 0);
  if (after) {
    query = query
      .where('created_at', '>=', after.createdAt)
      .where((eb) => eb.or([eb('created_at', '>', after.createdAt), eb('id', '>', after.id)]));
  }
  return query.orderBy('created_at').orderBy('id').limit(limit).execute();
}
