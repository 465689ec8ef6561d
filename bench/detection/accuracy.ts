// Scores the tracker's verdicts against the simulator's labels: per fraud type, per population, and
// the two promises the product makes (people are not flagged, verified ad crawlers get through).
import { FRAUD_TYPE_ORDER, type FraudType } from '../../src/detection/index.ts';
import { POPULATIONS, type PopulationId, type SimClick } from '../../src/demo/types.ts';

/** What the tracker stored for a click. */
export interface StoredVerdict {
  readonly status: string;
  readonly fraudTypes: FraudType[];
  readonly verified: boolean;
  readonly action: string;
  readonly reasons: readonly { type: string; message: string }[];
  readonly asn: number | null;
  readonly asOrg: string | null;
  readonly country: string | null;
}

export interface Judged {
  readonly click: SimClick;
  /** Null when the tracker did not redirect (no click id came back). */
  readonly verdict: StoredVerdict | null;
  readonly httpStatus: number;
}

/** The fraud type that names each non-human population, and the goal its recall is held to. */
export const POPULATION_GOALS: Readonly<Partial<Record<PopulationId, { type: FraudType; goal: number | null }>>> = {
  'declared-bot': { type: 'bot', goal: 0.99 },
  'header-forging': { type: 'bot', goal: 0.9 },
  'cloud-browser': { type: 'datacenter', goal: 0.95 },
  vpn: { type: 'vpn', goal: null },
  tor: { type: 'vpn', goal: null },
  'rapid-fire': { type: 'rapid_fire', goal: 0.95 },
  'click-farm': { type: 'click_farm', goal: 0.9 },
  'fake-crawler': { type: 'bot', goal: null },
  // The promise: every fake crawler on its company's cloud is flagged with the shipped data alone.
  'cloud-fake-crawler': { type: 'bot', goal: 1 },
};

export const HUMAN_FALSE_POSITIVE_GOAL = 0.01;

export interface TypeScore {
  readonly type: FraudType;
  /** Clicks that truly have the type. */
  readonly support: number;
  readonly flagged: number;
  /** Flagged and the type is true or acceptable for the click. */
  readonly correct: number;
  /** Truly have it and were flagged with it. */
  readonly found: number;
}

export interface PopulationScore {
  readonly id: PopulationId;
  readonly title: string;
  readonly clicks: number;
  readonly noVerdict: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byType: Readonly<Record<string, number>>;
  /** Flagged with any fraud type. */
  readonly anyFraud: number;
  /** The status the label expects. */
  readonly statusAsExpected: number;
  /** Flagged with the population's own type (see POPULATION_GOALS). */
  readonly keyTypeFound: number;
}

export interface HumanScore {
  readonly clicks: number;
  /** Flagged with a fraud type other than duplicate. */
  readonly flaggedNonDuplicate: number;
  /** Marked duplicate although the same person had not clicked before. */
  readonly duplicateWithoutRepeat: number;
  /** Of those: another person with the same browser build behind the same address (SPEC: IP + user agent). */
  readonly sharedAddressDuplicates: number;
  readonly genuineRepeats: number;
  readonly genuineRepeatsFound: number;
}

/** Recall by a click's position in its burst or farm session: the first ones depend on late findings. */
export interface PositionRecall {
  readonly population: 'rapid-fire' | 'click-farm';
  readonly type: FraudType;
  readonly buckets: { readonly label: string; clicks: number; found: number }[];
}

const POSITION_BUCKETS: Readonly<Record<PositionRecall['population'], readonly (readonly [string, number, number])[]>> =
  {
    'rapid-fire': [
      ['1st-5th click', 1, 5],
      ['6th-10th', 6, 10],
      ['11th-20th', 11, 20],
      ['21st+', 21, Infinity],
    ],
    'click-farm': [
      ['1st-8th click', 1, 8],
      ['9th-16th', 9, 16],
      ['17th-32nd', 17, 32],
      ['33rd+', 33, Infinity],
    ],
  };

export interface Scores {
  readonly positions: PositionRecall[];
  readonly types: TypeScore[];
  readonly populations: PopulationScore[];
  readonly humans: HumanScore;
  readonly crawlers: { readonly clicks: number; readonly letThrough: number };
}

const isHuman = (id: PopulationId) => POPULATIONS.find((population) => population.id === id)!.human;
const count = (record: Record<string, number>, key: string) => (record[key] = (record[key] ?? 0) + 1);

export function score(judged: readonly Judged[]): Scores {
  const types = FRAUD_TYPE_ORDER.map((type) => {
    let support = 0;
    let flagged = 0;
    let correct = 0;
    let found = 0;
    for (const { click, verdict } of judged) {
      const truly = click.expected.fraudTypes.includes(type);
      const has = verdict?.fraudTypes.includes(type) ?? false;
      if (truly) support++;
      if (has) flagged++;
      if (has && (truly || click.expected.allowed.includes(type))) correct++;
      if (has && truly) found++;
    }
    return { type, support, flagged, correct, found };
  });

  const populations = POPULATIONS.map(({ id, title }) => {
    const mine = judged.filter((entry) => entry.click.population === id);
    const byStatus: Record<string, number> = {};
    const byType: Record<string, number> = {};
    let noVerdict = 0;
    let anyFraud = 0;
    let statusAsExpected = 0;
    let keyTypeFound = 0;
    const key = POPULATION_GOALS[id]?.type;
    for (const { click, verdict } of mine) {
      if (!verdict) {
        noVerdict++;
        continue;
      }
      count(byStatus, verdict.status);
      for (const type of verdict.fraudTypes) count(byType, type);
      if (verdict.fraudTypes.length > 0) anyFraud++;
      if (verdict.status === click.expected.status && verdict.verified === click.expected.verified) statusAsExpected++;
      if (key && verdict.fraudTypes.includes(key)) keyTypeFound++;
    }
    return { id, title, clicks: mine.length, noVerdict, byStatus, byType, anyFraud, statusAsExpected, keyTypeFound };
  });

  let clicks = 0;
  let flaggedNonDuplicate = 0;
  let duplicateWithoutRepeat = 0;
  let sharedAddressDuplicates = 0;
  let genuineRepeats = 0;
  let genuineRepeatsFound = 0;
  for (const { click, verdict } of judged) {
    if (!isHuman(click.population)) continue;
    clicks++;
    const shared = click.notes.includes('shared-address');
    const repeat = click.expected.fraudTypes.includes('duplicate') && !shared;
    if (repeat) genuineRepeats++;
    if (!verdict) continue;
    if (verdict.fraudTypes.some((type) => type !== 'duplicate')) flaggedNonDuplicate++;
    if (verdict.fraudTypes.includes('duplicate')) {
      if (repeat) genuineRepeatsFound++;
      else {
        duplicateWithoutRepeat++;
        if (shared) sharedAddressDuplicates++;
      }
    }
  }

  const crawlerClicks = judged.filter((entry) => entry.click.expected.verified);
  const letThrough = crawlerClicks.filter(
    ({ verdict, httpStatus }) =>
      httpStatus === 302 &&
      verdict !== null &&
      verdict.verified &&
      verdict.status === 'bot' &&
      verdict.fraudTypes.length === 0 &&
      verdict.action === 'redirected',
  ).length;

  const positions = (['rapid-fire', 'click-farm'] as const).map((population) => {
    const type = POPULATION_GOALS[population]!.type;
    const buckets = POSITION_BUCKETS[population].map(([label]) => ({ label, clicks: 0, found: 0 }));
    for (const { click, verdict } of judged) {
      if (click.population !== population || click.position === undefined || !verdict) continue;
      const index = POSITION_BUCKETS[population].findIndex(
        ([, from, to]) => click.position! >= from && click.position! <= to,
      );
      buckets[index]!.clicks++;
      if (verdict.fraudTypes.includes(type)) buckets[index]!.found++;
    }
    return { population, type, buckets };
  });

  return {
    positions,
    types,
    populations,
    humans: {
      clicks,
      flaggedNonDuplicate,
      duplicateWithoutRepeat,
      sharedAddressDuplicates,
      genuineRepeats,
      genuineRepeatsFound,
    },
    crawlers: { clicks: crawlerClicks.length, letThrough },
  };
}

// ---- where detection is weakest: the misses and the false flags, grouped --------------------------------

export interface Finding {
  /** "missed rapid_fire" or "human flagged bot". */
  readonly kind: string;
  readonly population: PopulationId;
  /** What the clicks have in common: the simulator's label without its varying parts, or the reason. */
  readonly group: string;
  readonly count: number;
  readonly example: Judged;
}

/** Labels vary by address and version; grouping on the stable part keeps the list short. */
function labelGroup(label: string): string {
  return label
    .replace(/\b\d+(\.\d+)*\b/g, 'N')
    .replace(/burst of N/, 'burst')
    .replace(/\d+\.\d+\.\d+\.N\/N/g, 'x/24');
}

function reasonGroup(verdict: StoredVerdict, type: FraudType): string {
  const reason = verdict.reasons.find((candidate) => candidate.type === type)?.message ?? type;
  // Addresses, counts and quoted user agents vary; the rest of the sentence says which check fired.
  return reason
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\b[\da-f:.]{7,}\b/gi, 'IP')
    .replace(/\b\d+\b/g, 'N');
}

export function findings(judged: readonly Judged[]): Finding[] {
  const groups = new Map<
    string,
    { kind: string; population: PopulationId; group: string; count: number; example: Judged }
  >();
  const add = (kind: string, population: PopulationId, group: string, entry: Judged) => {
    const key = `${kind}\n${population}\n${group}`;
    const existing = groups.get(key);
    if (existing) existing.count++;
    else groups.set(key, { kind, population, group, count: 1, example: entry });
  };
  for (const entry of judged) {
    const { click, verdict } = entry;
    if (!verdict) {
      add(`no verdict (HTTP ${entry.httpStatus})`, click.population, labelGroup(click.label), entry);
      continue;
    }
    if (isHuman(click.population)) {
      for (const type of verdict.fraudTypes) {
        if (
          type === 'duplicate' &&
          click.expected.fraudTypes.includes('duplicate') &&
          !click.notes.includes('shared-address')
        )
          continue;
        add(`human flagged ${type}`, click.population, reasonGroup(verdict, type), entry);
      }
      continue;
    }
    if (click.expected.verified) {
      if (!verdict.verified || verdict.fraudTypes.length > 0 || verdict.action !== 'redirected')
        add('verified crawler not let through', click.population, labelGroup(click.label), entry);
      continue;
    }
    const key = POPULATION_GOALS[click.population]?.type;
    if (key && !verdict.fraudTypes.includes(key))
      add(`missed ${key}`, click.population, labelGroup(click.label), entry);
    for (const type of verdict.fraudTypes) {
      if (!click.expected.fraudTypes.includes(type) && !click.expected.allowed.includes(type))
        add(`wrongly flagged ${type}`, click.population, reasonGroup(verdict, type), entry);
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
