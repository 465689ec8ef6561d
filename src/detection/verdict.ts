import { FRAUD_TYPE_ORDER, FRAUD_TYPE_STATUS, type ClickStatus, type FraudType, type Reason, type Signal, type SignalType, type Verdict } from './types.ts';

const FRAUD_TYPES: ReadonlySet<SignalType> = new Set(FRAUD_TYPE_ORDER);

function isFraudSignal(signal: Signal): signal is Signal & { type: FraudType } {
  return FRAUD_TYPES.has(signal.type);
}

/** Reasons read best in the order the verdict is decided: verified first, fraud by precedence, targeting last. */
const REASON_RANK: Readonly<Record<SignalType, number>> = Object.fromEntries([
  ['verified_bot', -1],
  ['allowlisted', -1],
  ...FRAUD_TYPE_ORDER.map((type, index) => [type, index]),
  ['targeting', FRAUD_TYPE_ORDER.length],
]) as Record<SignalType, number>;

function toReasons(signals: readonly Signal[]): Reason[] {
  return [...signals]
    .sort((a, b) => REASON_RANK[a.type] - REASON_RANK[b.type])
    .map(({ type, message }) => ({ type, message }));
}

/**
 * Independent signals reinforce each other without one weak signal diluting a strong one:
 * score = 100 × (1 − Π(1 − sᵢ/100)) over the fraud signals, rounded; 0 when there are none.
 * Two 50s give 75, 90 with 40 gives 94, a single signal keeps its own score.
 */
export function combineScores(scores: readonly number[]): number {
  let clean = 1;
  for (const score of scores) clean *= 1 - Math.min(100, Math.max(0, score)) / 100;
  return Math.round(100 * (1 - clean));
}

/** Folds the rules' signals into the click's one status, flags and fraud types (SPEC §2). */
export function buildVerdict(signals: readonly Signal[]): Verdict {
  const verified = signals.filter((signal) => signal.type === 'verified_bot');
  if (verified.length > 0) {
    // A verified crawler is let through and never counted as fraud: whatever else fired (its
    // datacenter network, its repeat visits, the campaign's geo filter) is expected of a crawler.
    return {
      status: 'bot', isBot: true, isVpn: false, isVerifiedBot: true,
      fraudTypes: [], primaryFraudType: null, fraudScore: 0,
      reasons: toReasons(verified), cloaked: false,
    };
  }
  // The account vouched for this address: its fraud signals are dropped, its targeting still holds.
  const allowlisted = signals.some((signal) => signal.type === 'allowlisted');
  const fraudSignals = allowlisted ? [] : signals.filter(isFraudSignal);
  const fraudTypes = FRAUD_TYPE_ORDER.filter((type) => fraudSignals.some((signal) => signal.type === type));
  const isBot = fraudTypes.some((type) => FRAUD_TYPE_STATUS[type] === 'bot');
  const isVpn = fraudTypes.some((type) => FRAUD_TYPE_STATUS[type] === 'vpn');
  const cloaked = signals.some((signal) => signal.type === 'targeting');
  const status: ClickStatus = isBot ? 'bot' : isVpn ? 'vpn' : cloaked ? 'cloaked' : 'real';
  return {
    status, isBot, isVpn, isVerifiedBot: false,
    fraudTypes, primaryFraudType: fraudTypes[0] ?? null,
    fraudScore: combineScores(fraudSignals.map((signal) => signal.score)),
    reasons: toReasons(allowlisted ? signals.filter((signal) => !isFraudSignal(signal)) : signals), cloaked,
  };
}
