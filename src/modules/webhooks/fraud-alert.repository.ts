import type { Db } from '../../storage/database.ts';

/**
 * Takes the campaign's alert for `at` unless another one was sent within `windowMs`: one statement,
 * so two nodes crossing the threshold together cannot both send it (on PostgreSQL the second
 * upsert waits for the first, then finds its row too recent).
 */
export async function claimFraudAlert(
  trx: Db,
  alert: { campaignId: number; userId: number; at: number; windowMs: number },
): Promise<{ ok: true } | { ok: false; lastAlertAt: number }> {
  const claimed = await trx
    .insertInto('fraud_alert_state')
    .values({ campaign_id: alert.campaignId, user_id: alert.userId, alerted_at: alert.at })
    .onConflict((oc) =>
      oc
        .column('campaign_id')
        .doUpdateSet({ alerted_at: alert.at })
        .where('fraud_alert_state.alerted_at', '<=', alert.at - alert.windowMs),
    )
    .returning('campaign_id')
    .executeTakeFirst();
  if (claimed) return { ok: true };
  const row = await trx
    .selectFrom('fraud_alert_state')
    .select('alerted_at')
    .where('campaign_id', '=', alert.campaignId)
    .executeTakeFirst();
  return { ok: false, lastAlertAt: Number(row?.alerted_at ?? alert.at) };
}
