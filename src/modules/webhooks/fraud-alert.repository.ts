import type { Db } from '../../storage/database.ts';

export async function findLastFraudAlert(trx: Db, campaignId: number): Promise<number | undefined> {
  const row = await trx.selectFrom('fraud_alert_state').select('alerted_at').where('campaign_id', '=', campaignId).executeTakeFirst();
  return row?.alerted_at;
}

export async function saveFraudAlert(trx: Db, campaignId: number, userId: number, alertedAt: number): Promise<void> {
  await trx
    .insertInto('fraud_alert_state')
    .values({ campaign_id: campaignId, user_id: userId, alerted_at: alertedAt })
    .onConflict((oc) => oc.column('campaign_id').doUpdateSet({ alerted_at: alertedAt }))
    .execute();
}
