import { Type, type TSchema } from 'typebox';
import { THRESHOLD_KEYS, thresholdBounds, toSnakeCase } from '../modules/detection-settings/thresholds.ts';
import { Nullable } from './common.ts';
import { FRAUD_ALERT_BOUNDS } from '../modules/detection-settings/fraud-alert-settings.ts';

/** One field per detection setting, generated from the rules' own defaults so none is forgotten. */
function thresholdFields(build: (key: string) => TSchema): Record<string, TSchema> {
  return Object.fromEntries(THRESHOLD_KEYS.map((key) => [toSnakeCase(key), build(key)]));
}

const bounded = (key: string) => {
  const { minimum, maximum, integer } = thresholdBounds(key);
  return integer ? Type.Integer({ minimum, maximum }) : Type.Number({ minimum, maximum });
};

const Thresholds = Type.Object(thresholdFields(() => Type.Number()));
const AddressList = Type.Array(Type.String({ maxLength: 64 }), {
  maxItems: 10_000,
  description: 'IP addresses or CIDR ranges',
});

const FraudAlert = Type.Object(
  {
    threshold_percent: Type.Number(),
    min_clicks: Type.Integer(),
    window_minutes: Type.Integer(),
  },
  {
    description:
      'A fraud.alert webhook fires when a campaign has at least min_clicks clicks in window_minutes and threshold_percent of them are fraudulent',
  },
);

const FraudAlertUpdate = Type.Object(
  {
    threshold_percent: Type.Optional(Type.Number(FRAUD_ALERT_BOUNDS.threshold_percent)),
    min_clicks: Type.Optional(Type.Integer(FRAUD_ALERT_BOUNDS.min_clicks)),
    window_minutes: Type.Optional(Type.Integer(FRAUD_ALERT_BOUNDS.window_minutes)),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const DetectionSettingsSchema = Type.Object({
  thresholds: Thresholds,
  defaults: Thresholds,
  ip_allowlist: Type.Array(Type.String()),
  ip_blocklist: Type.Array(Type.String()),
  fraud_alert: FraudAlert,
  updated_at: Nullable(Type.String()),
});

export const DetectionSettingsUpdate = Type.Object(
  {
    thresholds: Type.Optional(
      Type.Object(
        thresholdFields((key) => Type.Optional(Nullable(bounded(key)))),
        { additionalProperties: false, description: 'Only the thresholds to change; null restores the default' },
      ),
    ),
    ip_allowlist: Type.Optional(AddressList),
    ip_blocklist: Type.Optional(AddressList),
    fraud_alert: Type.Optional(FraudAlertUpdate),
  },
  { additionalProperties: false, minProperties: 1 },
);
