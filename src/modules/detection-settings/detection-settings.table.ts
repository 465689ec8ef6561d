import type { Selectable } from 'kysely';

/** An account's own detection thresholds and address lists; absent row = the defaults. */
export interface DetectionSettingsTable {
  user_id: number;
  /** JSON object of threshold overrides, camelCase keys of DetectionSettings. */
  thresholds: string;
  /** JSON arrays of addresses or CIDRs. */
  ip_allowlist: string;
  ip_blocklist: string;
  /** JSON object of fraud.alert overrides (FraudAlertSettings keys); `{}` = the defaults. */
  fraud_alert: string;
  updated_at: number;
}

export type DetectionSettingsRow = Selectable<DetectionSettingsTable>;
