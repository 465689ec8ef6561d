import {
  FRAUD_TYPE_ORDER,
  FRAUD_TYPE_STATUS,
  type ClickStatus,
  type FraudType,
  type Finding,
  type LateFinding,
  type Reason,
  type Signal,
  type SignalType,
  type Verdict,
} from './types.ts';

const FRAUD_TYPES: ReadonlySet<SignalType> = new Set(FRAUD_TYPE_ORDER);

function isFraudSignal(signal: Signal): signal is Signal & { type: FraudType } {
  return FRAUD_TYPES.has(signal.type);
}

/** Reasons read best in the order the verdict is decided: verified first, fraud by precedence, targeting last. */
const REASON_RANK: Readonly<Record<SignalType, number>> = Object.fromEntries([
  ['verified_bot', -1],
  ['allowlisted', -1],
  ...FRAUD_TYPE_ORDER.map((type, index) => [type, index]),
  ['privacy_relay', FRAUD_TYPE_ORDER.length],
  ['targeting', FRAUD_TYPE_ORDER.length],
]) as Record<SignalType, number>;

function toReasons(signals: readonly Reason[]): Reason[] {
  // Copied first, then sorted in place (stable, so the same order as sorting a copy): one array fewer.
  return signals
    .map(({ type, message }): Reason => ({ type, message }))
    .sort((a, b) => REASON_RANK[a.type] - REASON_RANK[b.type]);
}

/** Each fraud type's bit, by its place in FRAUD_TYPE_ORDER. */
const FRAUD_BIT: ReadonlyMap<SignalType, number> = new Map(FRAUD_TYPE_ORDER.map((type, index) => [type, 1 << index]));

function statusOf(
  fraudTypes: readonly FraudType[],
  cloaked: boolean,
): { status: ClickStatus; isBot: boolean; isVpn: boolean } {
  const isBot = fraudTypes.some((type) => FRAUD_TYPE_STATUS[type] === 'bot');
  const isVpn = fraudTypes.some((type) => FRAUD_TYPE_STATUS[type] === 'vpn');
  return { status: isBot ? 'bot' : isVpn ? 'vpn' : cloaked ? 'cloaked' : 'real', isBot, isVpn };
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

/** What `buildVerdict` makes of no signals at all, field for field; a new object each time (verdicts are not shared). */
function cleanVerdict(): Verdict {
  return {
    status: 'real',
    isBot: false,
    isVpn: false,
    isVerifiedBot: false,
    fraudTypes: [],
    primaryFraudType: null,
    fraudScore: 0,
    reasons: [],
    cloaked: false,
    lateFindings: [],
  };
}

/** Folds the rules' signals into the click's one status, flags and fraud types (SPEC §2). */
export function buildVerdict(signals: readonly Signal[]): Verdict {
  // Most clicks raise nothing: their verdict is built directly. With filter/some/map passes and spreads
  // this function was 7 % of the click path's CPU (bench/click-path.bench.ts).
  if (signals.length === 0) return cleanVerdict();
  // One pass for what decides the shape; the fraud signals get their own below.
  let verified = false;
  let allowlisted = false;
  let cloaked = false;
  for (const { type } of signals) {
    if (type === 'verified_bot') verified = true;
    else if (type === 'allowlisted') allowlisted = true;
    else if (type === 'targeting') cloaked = true;
  }
  if (verified) {
    // A verified crawler is let through and never counted as fraud: whatever else fired (its
    // datacenter network, its repeat visits, the campaign's geo filter) is expected of a crawler.
    return {
      status: 'bot',
      isBot: true,
      isVpn: false,
      isVerifiedBot: true,
      fraudTypes: [],
      primaryFraudType: null,
      fraudScore: 0,
      reasons: toReasons(signals.filter((signal) => signal.type === 'verified_bot')),
      cloaked: false,
      lateFindings: [],
    };
  }
  // The account vouched for this address: its fraud signals are dropped, its targeting still holds.
  let fraudBits = 0;
  // combineScores, folded in the same order over the same signals (so the same float).
  let clean = 1;
  const lateFindings: LateFinding[] = [];
  if (!allowlisted) {
    for (const signal of signals) {
      if (!isFraudSignal(signal)) continue;
      fraudBits |= FRAUD_BIT.get(signal.type)!;
      clean *= 1 - Math.min(100, Math.max(0, signal.score)) / 100;
      const { type, message, score, lookBack } = signal;
      if (lookBack) lateFindings.push({ type, message, score, ...lookBack });
    }
  }
  const fraudTypes = FRAUD_TYPE_ORDER.filter((type) => (fraudBits & FRAUD_BIT.get(type)!) !== 0);
  const { status, isBot, isVpn } = statusOf(fraudTypes, cloaked);
  return {
    status,
    isBot,
    isVpn,
    isVerifiedBot: false,
    fraudTypes,
    primaryFraudType: fraudTypes[0] ?? null,
    fraudScore: Math.round(100 * (1 - clean)),
    reasons: toReasons(allowlisted ? signals.filter((signal) => !isFraudSignal(signal)) : signals),
    cloaked,
    lateFindings,
  };
}

/** What is stored of an earlier click's verdict: enough to add a finding to it. */
export interface StoredVerdict {
  readonly status: ClickStatus;
  readonly isVerifiedBot: boolean;
  readonly fraudTypes: readonly FraudType[];
  readonly fraudScore: number;
  readonly reasons: readonly Reason[];
}

export type VerdictChange = Pick<
  Verdict,
  'status' | 'isBot' | 'isVpn' | 'isVerifiedBot' | 'fraudTypes' | 'primaryFraudType' | 'fraudScore' | 'reasons'
>;

/**
 * An earlier click of a burst or farm, given the finding its group earned later (or a click given what
 * its page's tag reported, `prefix` naming the source). Null when nothing
 * changes: verified crawlers and allowlisted addresses are never fraud, and a type is added once.
 * Scores combine as in `combineScores`, the stored score standing for the signals that made it.
 */
export function applyLateFinding(
  stored: StoredVerdict,
  finding: Finding,
  prefix = 'Recognised later: ',
): VerdictChange | null {
  if (stored.isVerifiedBot || stored.fraudTypes.includes(finding.type)) return null;
  if (stored.reasons.some((reason) => reason.type === 'allowlisted')) return null;
  const fraudTypes = FRAUD_TYPE_ORDER.filter((type) => type === finding.type || stored.fraudTypes.includes(type));
  const cloaked = stored.status === 'cloaked' || stored.reasons.some((reason) => reason.type === 'targeting');
  return {
    ...statusOf(fraudTypes, cloaked),
    isVerifiedBot: false,
    fraudTypes,
    primaryFraudType: fraudTypes[0] ?? null,
    fraudScore: combineScores([stored.fraudScore, finding.score]),
    reasons: toReasons([...stored.reasons, { type: finding.type, message: `${prefix}${finding.message}` }]),
  };
}

/**
 * A stored click whose crawler claim was proved after its redirect (forward-confirmed reverse DNS
 * answered late): it becomes the verified crawler it said it was, as `buildVerdict` would have made
 * it, whatever else had flagged it. Null when it already is one.
 */
export function applyVerification(stored: StoredVerdict, reason: Reason): VerdictChange | null {
  if (stored.isVerifiedBot) return null;
  return {
    status: 'bot',
    isBot: true,
    isVpn: false,
    isVerifiedBot: true,
    fraudTypes: [],
    primaryFraudType: null,
    fraudScore: 0,
    reasons: [{ type: reason.type, message: reason.message }],
  };
}
