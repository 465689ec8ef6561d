export { evaluate } from './evaluate.ts';
export { DEFAULT_DETECTION_SETTINGS, resolveDetectionSettings, type DetectionSettings } from './settings.ts';
export { CLICK_STATUSES, DEVICE_TYPES, FRAUD_TYPE_ORDER, FRAUD_TYPE_STATUS, UNKNOWN_REPUTATION } from './types.ts';
export type {
  AccountIpLists,
  ClickGroup,
  ClickHistory,
  ClickStatus,
  IpReputation,
  LateFinding,
  ListMatch,
  DetectionInput,
  DeviceInfo,
  DeviceType,
  FraudType,
  IpInfo,
  Reason,
  SignalType,
  Targeting,
  Verdict,
} from './types.ts';
export type { Visitor, VisitorHeaders } from './visitor.ts';
export { applyLateFinding, applyVerification, type StoredVerdict, type VerdictChange } from './verdict.ts';
export type { Finding } from './types.ts';
export type { BeaconClick, BeaconFacts } from './beacon/facts.ts';
export { judgeBeacon } from './beacon/judge.ts';
export { BEACON_WINDOW_MS, missingBeaconFinding } from './rules/beacon-missing.ts';
