/** What the demo tells the user at the end: what the tracker made of the traffic, and what to try next. */
import { CLICK_STATUSES, FRAUD_TYPE_ORDER } from '../detection/index.ts';
import type { ClickService } from '../modules/clicks/click.service.ts';
import type { ClickSummary } from '../modules/clicks/click.ts';
import type { PostbackResult } from './traffic-runner.ts';

export interface RunTally {
  clicks: number;
  byStatus: Map<string, number>;
  /** Each fraudulent click once, under its primary type (as the fraud stats count them). */
  byPrimaryType: Map<string, number>;
  duplicates: number;
  verifiedCrawlers: number;
  blocked: number;
}

const isoDate = (time: number) => new Date(time).toISOString().slice(0, 10);

async function forEachClick(
  clicks: ClickService,
  userId: number,
  campaignIds: readonly number[],
  from: number,
  to: number,
  visit: (click: ClickSummary) => void,
): Promise<void> {
  const perPage = 1000;
  for (const campaignId of campaignIds) {
    for (let page = 1; ; page++) {
      const { items } = await clicks.list(
        userId,
        { page, perPage, offset: (page - 1) * perPage },
        { campaign_id: campaignId, from: isoDate(from), to: isoDate(to) },
      );
      for (const click of items) {
        const at = Date.parse(click.created_at);
        if (at >= from && at <= to) visit(click);
      }
      if (items.length < perPage) break;
    }
  }
}

/** Clicks already recorded in the period (an earlier demo run on the same account), so the tally can leave them out. */
export async function existingClickIds(
  clicks: ClickService,
  userId: number,
  campaignIds: readonly number[],
  from: number,
  to: number,
): Promise<Set<string>> {
  const ids = new Set<string>();
  await forEachClick(clicks, userId, campaignIds, from, to, (click) => ids.add(click.id));
  return ids;
}

/** Reads back the clicks this run recorded on the demo campaigns, in-process (no API quota spent). */
export async function tallyRun(
  clicks: ClickService,
  userId: number,
  campaignIds: readonly number[],
  from: number,
  to: number,
  earlier: ReadonlySet<string>,
): Promise<RunTally> {
  const tally: RunTally = {
    clicks: 0,
    byStatus: new Map(),
    byPrimaryType: new Map(),
    duplicates: 0,
    verifiedCrawlers: 0,
    blocked: 0,
  };
  await forEachClick(clicks, userId, campaignIds, from, to, (click) => {
    if (earlier.has(click.id)) return;
    tally.clicks++;
    tally.byStatus.set(click.status, (tally.byStatus.get(click.status) ?? 0) + 1);
    const primary = click.fraud_types[0];
    if (primary) tally.byPrimaryType.set(primary, (tally.byPrimaryType.get(primary) ?? 0) + 1);
    if (click.fraud_types.includes('duplicate')) tally.duplicates++;
    if (click.status === 'bot' && click.fraud_types.length === 0 && click.action === 'redirected')
      tally.verifiedCrawlers++;
    if (click.action === 'blocked') tally.blocked++;
  });
  return tally;
}

const int = (value: number) => value.toLocaleString('en-US');
const list = (entries: Map<string, number>, order: readonly string[]) =>
  order
    .filter((key) => entries.has(key))
    .map((key) => `${key} ${int(entries.get(key)!)}`)
    .join(' · ') || 'none';

export interface SummaryFacts {
  tally: RunTally;
  sent: number;
  failed: number;
  seconds: number;
  seed: number;
  hours: number;
  campaigns: readonly { name: string; uuid: string }[];
  postbacks: PostbackResult;
  email: string;
  /** Shown only when this run generated it and created the account. */
  newPassword: string | null;
  publicUrl: string;
}

export function formatSummary(facts: SummaryFacts): string {
  const { tally, postbacks } = facts;
  const fraudulent = [...tally.byPrimaryType.values()].reduce((sum, count) => sum + count, 0);
  const lines = [
    '',
    `CloakRadar demo: ${int(facts.sent)} simulated clicks over the last ${facts.hours} h into ${facts.campaigns.length} campaigns, sent in ${facts.seconds.toFixed(1)} s (seed ${facts.seed}${facts.failed > 0 ? `, ${int(facts.failed)} requests failed` : ''})`,
    `  recorded     ${int(tally.clicks)} clicks, ${int(tally.blocked)} held back with a 403 by the campaigns' targeting`,
    `  by status    ${list(tally.byStatus, CLICK_STATUSES)}`,
    `  fraud        ${int(fraudulent)} fraudulent clicks by primary type: ${list(tally.byPrimaryType, FRAUD_TYPE_ORDER)}`,
    `  crawlers     ${int(tally.verifiedCrawlers)} verified ad crawlers (AdsBot-Google, facebookexternalhit, bingbot) let through, not counted as fraud`,
    `  conversions  ${int(postbacks.recorded)} recorded by postback, revenue ${postbacks.revenue.toFixed(2)}${postbacks.failed > 0 ? ` (${int(postbacks.failed)} refused: ${postbacks.firstError})` : ''}`,
    '',
    'Campaigns:',
    ...facts.campaigns.map((campaign) => `  ${campaign.name.padEnd(40)} ${facts.publicUrl}/c/${campaign.uuid}`),
    '',
    'Sign in:',
    `  email     ${facts.email}`,
    facts.newPassword
      ? `  password  ${facts.newPassword}   (generated; shown only this once)`
      : '  password  the one you gave (or the one printed when the demo created the account)',
    '',
    'Try (with `cloakradar serve` running):',
    `  TOKEN=$(curl -s -X POST ${facts.publicUrl}/api/v1/auth/token -H 'content-type: application/json' \\`,
    `      -d '{"email":"${facts.email}","password":"…"}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')`,
    `  curl -H "Authorization: Bearer $TOKEN" '${facts.publicUrl}/api/v1/campaigns'`,
    `  curl -H "Authorization: Bearer $TOKEN" '${facts.publicUrl}/api/v1/clicks?status=bot&per_page=5'`,
    `  curl -H "Authorization: Bearer $TOKEN" '${facts.publicUrl}/api/v1/clicks/<click id>'     (reasons for every flag)`,
    `  curl -H "Authorization: Bearer $TOKEN" '${facts.publicUrl}/api/v1/conversions'`,
    `  API reference: ${facts.publicUrl}/docs`,
  ];
  return lines.join('\n');
}
