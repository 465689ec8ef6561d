// Synthetic traffic for the statistics benchmark: a month of clicks over 20 campaigns of two accounts,
// with the skewed (Zipf-like) value distributions real traffic has, so rollups get realistic cardinality.
import type { FraudType } from '../../src/detection/index.ts';
import type { NewClickRow } from '../../src/modules/clicks/click.table.ts';
import { bulkClickRow } from '../../test/helpers/bulk-clicks.ts';

export const DAY = 86_400_000;

/** mulberry32: small, fast and seedable, so both dialects get the same traffic. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Picks among `values` with the given weights (binary search over the cumulative weights). */
function weighted<T>(values: readonly T[], weights: readonly number[]): (r: number) => T {
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const weight of weights) cumulative.push((sum += weight / total));
  return (r) => {
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (r < cumulative[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return values[lo]!;
  };
}

const zipf = <T>(values: readonly T[], s = 1): ((r: number) => T) =>
  weighted(
    values,
    values.map((_, i) => 1 / (i + 1) ** s),
  );
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const COUNTRIES = [
  'US',
  'DE',
  'GB',
  'FR',
  'IN',
  'BR',
  'CA',
  'JP',
  'ES',
  'IT',
  'NL',
  'PL',
  'MX',
  'AU',
  'TR',
  'ID',
  'RU',
  'SE',
  'CH',
  'BE',
  'AT',
  'PH',
  'VN',
  'TH',
  'KR',
  'AR',
  'CO',
  'ZA',
  'NG',
  'EG',
  'PK',
  'BD',
  'UA',
  'RO',
  'CZ',
  'PT',
  'GR',
  'HU',
  'DK',
  'FI',
  'NO',
  'IE',
  'IL',
  'SA',
  'AE',
  'MY',
  'SG',
  'NZ',
  'CL',
  'PE',
  'KE',
  'MA',
  'DZ',
  'KZ',
  'BY',
  'RS',
  'BG',
  'HR',
  'SK',
  'LT',
];
const country = zipf(COUNTRIES, 1.1);
const cityIndex = zipf(range(12), 1.2);
const device = weighted(['mobile', 'desktop', 'tablet', 'other'], [52, 40, 6, 2]);
const mobileOs = weighted(['Android', 'iOS', 'other'], [68, 31, 1]);
const desktopOs = weighted(['Windows', 'macOS', 'Linux', 'Chrome OS'], [70, 20, 6, 4]);
const browser = weighted(
  ['Chrome', 'Safari', 'Edge', 'Firefox', 'Samsung Internet', 'Opera', 'Yandex', 'other'],
  [62, 20, 6, 5, 3, 2, 1, 1],
);
const asn = zipf(
  range(150).map((i) => 3_000 + i * 37),
  1.05,
);
const referrer = zipf([null, ...range(30).map((i) => `https://www.site${i}.example/article/${i * 7}`)], 0.9);
const sub1 = zipf(
  range(40).map((i) => `src-${i}`),
  1,
);
const sub2 = zipf(
  range(25).map((i) => `creative-${i}`),
  0.8,
);
const sub3 = zipf(
  range(800).map((i) => `kw-${i}`),
  1.05,
);
const sub4 = weighted([null, 'a', 'b', 'c', 'd', 'e'], [90, 3, 3, 2, 1, 1]);
const fraudType = weighted<FraudType>(
  ['bot', 'duplicate', 'datacenter', 'vpn', 'rapid_fire', 'click_farm'],
  [35, 25, 15, 12, 8, 5],
);
/** Most fraud findings come with a second type; the first is the primary one. */
const SECOND: Readonly<Record<FraudType, FraudType[]>> = {
  bot: ['datacenter'],
  duplicate: [],
  datacenter: [],
  vpn: ['datacenter'],
  rapid_fire: ['duplicate'],
  click_farm: ['duplicate'],
};

export interface Tenant {
  userId: number;
  campaignIds: number[];
}

export interface TrafficPlan {
  /** The measured account (16 campaigns, ~80% of the clicks) and a second one (4 campaigns). */
  main: Tenant;
  other: Tenant;
  total: number;
  /** Epoch ms; clicks are spread evenly, in time order, over [from, from + days). */
  from: number;
  days: number;
  seed: number;
}

export interface ConversionRow {
  user_id: number;
  campaign_id: number;
  click_id: string;
  transaction_id: string;
  dedupe_key: string;
  payout: number;
  status: string;
  created_at: number;
  updated_at: number;
}

/** Generates the plan's clicks `batch` at a time, in time order, with their conversions (~2%, on real clicks). */
export function* trafficBatches(
  plan: TrafficPlan,
  batch: number,
): Generator<{ clicks: NewClickRow[]; conversions: ConversionRow[] }> {
  const rand = random(plan.seed);
  const campaigns = [
    ...plan.main.campaignIds.map((id) => [plan.main.userId, id] as const),
    ...plan.other.campaignIds.map((id) => [plan.other.userId, id] as const),
  ];
  // Campaign sizes are skewed too: the busiest has several times the traffic of the quietest.
  const campaign = weighted(
    campaigns,
    campaigns.map((_, i) => (i < plan.main.campaignIds.length ? 1 / (i + 1) ** 0.7 : 0.25)),
  );
  const span = plan.days * DAY;
  let sequence = 0;
  for (let start = 0; start < plan.total; start += batch) {
    const clicks: NewClickRow[] = [];
    const conversions: ConversionRow[] = [];
    for (let i = start; i < Math.min(plan.total, start + batch); i++) {
      const at = plan.from + Math.floor(((i + rand()) * span) / plan.total);
      const [userId, campaignId] = campaign(rand());
      const where = country(rand());
      const kind = device(rand());
      const roll = rand();
      const verified = roll < 0.01;
      const first = roll >= 0.01 && roll < 0.26 ? fraudType(rand()) : null;
      const fraudTypes = first ? [first, ...SECOND[first]] : [];
      const ip = `${1 + Math.floor(rand() * 222)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`;
      const row = bulkClickRow(userId, campaignId, {
        at,
        status: verified ? 'bot' : undefined,
        verified,
        fraudTypes,
        country: where,
        device: kind,
        ip,
        platformClickId: rand() < 0.7 ? `gclid-${++sequence}` : null,
        fields: {
          city: rand() < 0.9 ? `${where} City ${cityIndex(rand())}` : null,
          os: kind === 'mobile' || kind === 'tablet' ? mobileOs(rand()) : desktopOs(rand()),
          browser: browser(rand()),
          asn: asn(rand()),
          as_org: null,
          referrer: referrer(rand()),
          sub1: sub1(rand()),
          sub2: sub2(rand()),
          sub3: sub3(rand()),
          sub4: sub4(rand()),
          sub5: null,
        },
      });
      clicks.push(row);
      if (row.status === 'real' && rand() < 0.027) {
        const payout = 10 + Math.floor(rand() * 50);
        conversions.push({
          user_id: userId,
          campaign_id: campaignId,
          click_id: row.id,
          transaction_id: `tx-${row.id}`,
          dedupe_key: `tx:tx-${row.id}`,
          payout,
          status: rand() < 0.08 ? 'rejected' : 'approved',
          created_at: at + 600_000,
          updated_at: at + 600_000,
        });
      }
    }
    yield { clicks, conversions };
  }
}
