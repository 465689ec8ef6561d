// Writes clicks the way the tracker's recorder does (the click rows and their rollups in one
// transaction) without HTTP: for traffic too large to send click by click in a test or a benchmark.
import type { FraudType } from '../../src/detection/index.ts';
import { FRAUD_TYPE_STATUS } from '../../src/detection/index.ts';
import { generateClickId } from '../../src/modules/clicks/click-id.ts';
import { insertClicks } from '../../src/modules/clicks/click.repository.ts';
import { CLICK_COLUMNS, type NewClickRow } from '../../src/modules/clicks/click.table.ts';
import type { Kysely } from 'kysely';
import { createStatsWriter } from '../../src/modules/stats/stats-writer.ts';
import { createStatsFolder } from '../../src/modules/stats/stats-folder.ts';
import type { Storage } from '../../src/storage/open-database.ts';

export interface BulkClick {
  at: number;
  status?: NewClickRow['status'];
  fraudTypes?: FraudType[];
  country?: string | null;
  device?: string;
  ip?: string;
  verified?: boolean;
  platformClickId?: string | null;
  /** Any other column of the stored row (city, os, sub ids…), over the defaults. */
  fields?: Partial<NewClickRow>;
}

/** A stored click row with the given verdict; the status follows the fraud types unless given. */
export function bulkClickRow(userId: number, campaignId: number, click: BulkClick): NewClickRow {
  const fraudTypes = click.fraudTypes ?? [];
  const derived =
    fraudTypes.map((type) => FRAUD_TYPE_STATUS[type]).find((status) => status === 'bot') ??
    fraudTypes.map((type) => FRAUD_TYPE_STATUS[type]).find((status) => status === 'vpn');
  const status = click.status ?? derived ?? 'real';
  return {
    id: generateClickId(),
    user_id: userId,
    campaign_id: campaignId,
    created_at: click.at,
    ip: click.ip ?? '84.128.1.1',
    country: click.country === undefined ? 'DE' : click.country,
    region: null,
    city: null,
    asn: 3320,
    as_org: 'Deutsche Telekom AG',
    device: click.device ?? 'desktop',
    os: 'Windows',
    browser: 'Chrome',
    user_agent: 'Mozilla/5.0',
    referrer: null,
    query: '{}',
    sub1: null,
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    platform_click_id: click.platformClickId ?? null,
    status,
    is_bot: status === 'bot' ? 1 : 0,
    is_vpn: status === 'vpn' ? 1 : 0,
    is_verified_bot: click.verified ? 1 : 0,
    is_unique: fraudTypes.includes('duplicate') ? 0 : 1,
    fraud_types: JSON.stringify(fraudTypes),
    primary_fraud_type: fraudTypes[0] ?? null,
    fraud_score: fraudTypes.length > 0 ? 80 : 0,
    reasons: JSON.stringify(fraudTypes.map((type) => ({ type, message: `${type} reason` }))),
    action: 'redirected',
    visitor_hash: 'bulk',
    truncated: 0,
    ...click.fields,
  };
}

/** Writes rows in transactions of `batch`, with their rollups, as the recorder would; then folds the rollup journal (`fold: false` leaves it). */
export async function writeClicks(
  storage: Storage,
  rows: readonly NewClickRow[],
  batch = 5_000,
  { fold = true } = {},
): Promise<void> {
  const stats = createStatsWriter(storage.dialect);
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    await storage.db.transaction().execute(async (trx) => {
      await insertClicks(trx, storage.dialect, chunk);
      await stats.clicksRecorded(trx, chunk);
    });
  }
  if (fold)
    await createStatsFolder({
      db: storage.db,
      dialect: storage.dialect,
      log: console,
      shard: 0,
      intervalMs: 0,
    }).foldAll();
}

/** Columns migrations 013 and later added to clicks (013 `truncated`, 015 `external_id` and `placement`, 018 `cost` and `cost_source`, 019 the flow's, 021 sub6…sub10, 022 `language`). */
const ADDED_SINCE_013 = new Set([
  'truncated',
  'external_id',
  'placement',
  'cost',
  'cost_source',
  'rule',
  'path',
  'lander_id',
  'offer_id',
  'lp_clicked_at',
  'sub6',
  'sub7',
  'sub8',
  'sub9',
  'sub10',
  'language',
]);
/** The clicks' columns before migration 013: for tests that write into an older schema. */
const COLUMNS_BEFORE_013 = CLICK_COLUMNS.filter((column) => !ADDED_SINCE_013.has(column.name));

/** Columns migrations after 016 added to clicks (018 cost, 019 the flow's, 021 sub6…sub10, 022 language). */
const ADDED_AFTER_016 = new Set([
  'cost',
  'cost_source',
  'rule',
  'path',
  'lander_id',
  'offer_id',
  'lp_clicked_at',
  'sub6',
  'sub7',
  'sub8',
  'sub9',
  'sub10',
  'language',
]);
/** The clicks' columns at migration 016: for tests of the migrations after it. */
export const CLICK_COLUMNS_AT_016 = CLICK_COLUMNS.filter((column) => !ADDED_AFTER_016.has(column.name));

/** Inserts clicks into a schema migrated to before 013, as that release's tracker would have. */
export async function insertClicksBefore013(storage: Storage, rows: readonly NewClickRow[]): Promise<void> {
  await storage.dialect.insertBatch(storage.db as unknown as Kysely<unknown>, 'clicks', COLUMNS_BEFORE_013, rows);
}
