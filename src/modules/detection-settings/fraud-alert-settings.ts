/** When a campaign's fraud rate is worth a `fraud.alert` webhook: the account's choice, in API (snake_case) form. */
export interface FraudAlertSettings {
  /** Fraudulent clicks as a percentage of all clicks in the window. */
  threshold_percent: number;
  /** Fewer clicks than this in the window never alert (1 bad click of 1 is not news). */
  min_clicks: number;
  window_minutes: number;
}

export const DEFAULT_FRAUD_ALERT_SETTINGS: FraudAlertSettings = {
  threshold_percent: 30,
  min_clicks: 100,
  window_minutes: 60,
};

/** Bounds shared by the schema and the stored-value reader. */
export const FRAUD_ALERT_BOUNDS = {
  threshold_percent: { minimum: 1, maximum: 100 },
  min_clicks: { minimum: 1, maximum: 1_000_000 },
  // One-minute buckets kept in memory for at most a day (webhooks/fraud-alert.ts).
  window_minutes: { minimum: 5, maximum: 1440 },
} as const;

/** Stored JSON (absent keys = defaults) to effective settings. */
export function resolveFraudAlertSettings(stored: Partial<FraudAlertSettings>): FraudAlertSettings {
  return { ...DEFAULT_FRAUD_ALERT_SETTINGS, ...stored };
}
