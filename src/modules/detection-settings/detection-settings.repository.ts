import type { Db } from '../../storage/database.ts';
import type { DetectionSettingsRow } from './detection-settings.table.ts';

export async function findDetectionSettings(db: Db, userId: number): Promise<DetectionSettingsRow | undefined> {
  return db.selectFrom('detection_settings').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function saveDetectionSettings(db: Db, row: DetectionSettingsRow): Promise<void> {
  await db
    .insertInto('detection_settings')
    .values(row)
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        thresholds: row.thresholds,
        ip_allowlist: row.ip_allowlist,
        ip_blocklist: row.ip_blocklist,
        fraud_alert: row.fraud_alert,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}
