import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClickGroup, ClickGroupCounters } from '../clicks/click-groups.repository.ts';
import { groupedAlike, rankingCounters, rowsOfGroups } from './report-ranking.ts';
import { parseReportRequest } from './report-query.ts';
import { PricedTotals } from './report-totals.ts';

const counters = (clicks: number, extra: Partial<ClickGroupCounters> = {}): ClickGroupCounters => ({
  clicks,
  unique_clicks: 0,
  real_clicks: 0,
  bot_clicks: 0,
  vpn_clicks: 0,
  cloaked_clicks: 0,
  fraud_clicks: 0,
  priced_clicks: 0,
  priced_cost: 0,
  fraud_priced_clicks: 0,
  fraud_priced_cost: 0,
  lp_clicks: 0,
  conversions: 0,
  revenue: 0,
  suspicious_conversions: 0,
  ...extra,
});

const group = (campaignId: number, sub3: string | null, clicks: number, extra: Partial<ClickGroup> = {}): ClickGroup =>
  ({
    keys: { campaign_id: campaignId, sub3 },
    campaignId,
    hour: 0,
    day: 0,
    event: '',
    counters: counters(clicks),
    ...extra,
  }) as ClickGroup;

test('a page sorted by a count or a grouped value is ranked on just what its sort needs; a price is not', () => {
  const spec = (query: string) =>
    parseReportRequest(Object.fromEntries(new URLSearchParams(query)) as Parameters<typeof parseReportRequest>[0]);
  assert.deepEqual(rankingCounters(spec('group_by=sub3,country')), ['clicks']);
  assert.deepEqual(rankingCounters(spec('group_by=sub3&sort=cr')), ['conversions', 'real_clicks']);
  assert.deepEqual(rankingCounters(spec('group_by=sub3&sort=fraud_rate')), ['fraud_clicks', 'clicks']);
  assert.deepEqual(rankingCounters(spec('group_by=sub3,country&sort=sub3')), []);
  for (const priced of ['cost', 'profit', 'roi', 'cpc', 'estimated_savings'])
    assert.equal(rankingCounters(spec(`group_by=sub3&sort=${priced}`)), undefined, priced);
  assert.equal(
    rankingCounters(spec('group_by=sub3&path=Main%20%231')),
    undefined,
    'a path filter is checked per group',
  );
});

test("a page's rows are the distinct values its groups hold, null for none", () => {
  const groups = [group(1, 'kw-1', 3), group(2, null, 1), group(1, 'kw-2', 5), group(3, 'kw-1', 1)];
  assert.deepEqual(rowsOfGroups(groups, ['sub3']), { columns: ['sub3'], rows: [['kw-1'], [null], ['kw-2']] });
  assert.deepEqual(rowsOfGroups(groups, ['campaign_id', 'sub3']).rows.length, 4);
  assert.deepEqual(rowsOfGroups([], ['sub3']), { columns: ['sub3'], rows: [] });
});

test('groups read per campaign are summed per campaign they are priced like, the outside ones apart', () => {
  const alike = new Map([
    [1, 1],
    [2, 1],
    [3, 3],
  ]);
  const merged = groupedAlike(
    [
      group(2, 'kw-1', 4),
      group(1, 'kw-1', 3),
      group(3, 'kw-1', 7),
      group(1, null, 1, { outside: true }),
      group(2, null, 2, { outside: true }),
      group(1, 'kw-2', 5),
    ],
    alike,
  );
  const summary = merged
    .map((each) => `${each.campaignId}:${String(each.keys.sub3)}:${each.outside === true}:${each.counters.clicks}`)
    .sort();
  assert.deepEqual(summary, ['1:kw-1:false:7', '1:kw-2:false:5', '1:null:true:3', '3:kw-1:false:7']);
  assert.ok(
    merged.every((each) => each.keys.campaign_id === each.campaignId),
    'keys name the class',
  );
  assert.equal(groupedAlike([group(2, 'kw-1', 4)], undefined)[0]!.campaignId, 2, 'no classes: as read');
});

test('totals are priced once per campaign and set day, whatever order the groups come in', () => {
  const price = (each: ClickGroup) => ({ cost: each.counters.clicks * 0.1, savings: 0 });
  const groups = [group(1, 'a', 1), group(2, 'a', 2), group(1, 'b', 2), group(1, 'c', 4)];
  const totals = (order: readonly ClickGroup[]) => {
    const sum = new PricedTotals();
    for (const each of order) sum.add(each);
    return sum.total(price);
  };
  const forward = totals(groups);
  assert.equal(forward.counters.clicks, 9);
  // Campaign 1's seven clicks priced once, then campaign 2's two.
  assert.equal(forward.cost, 7 * 0.1 + 2 * 0.1);
  assert.deepEqual(totals([...groups].reverse()), forward);
});
