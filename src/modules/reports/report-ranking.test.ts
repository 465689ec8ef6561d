import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zeroGroupCounters, type ClickGroup, type ClickGroupCounters } from '../clicks/click-groups.repository.ts';
import { clickGroupQuery } from './report-clicks.ts';
import { groupedAlike, rankingCounters, rowsOfGroups, topRowsOf, withEmptyAsNone } from './report-ranking.ts';
import { parseReportRequest } from './report-query.ts';
import { PricedRows } from './report-totals.ts';

const counters = (clicks: number): ClickGroupCounters => ({ ...zeroGroupCounters(), clicks });

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

test('rows and totals are priced once per campaign and set day, whatever order their groups come in', () => {
  // 0.1 a click: a price that rounds differently summed group by group than once per campaign.
  const price = (each: ClickGroup) => ({ cost: each.counters.clicks * 0.1, savings: 0 });
  const groups = [
    group(1, 'a', 1),
    group(2, 'a', 2),
    group(1, 'a', 2),
    group(1, 'b', 4),
    group(1, 'a', 3, { day: 86_400_000 }),
  ];
  const priced = (order: readonly ClickGroup[]) => {
    const rows = new PricedRows(['sub3']);
    const totals = new PricedRows([]);
    for (const each of order) {
      rows.add({ sub3: each.keys.sub3 ?? null }, each);
      totals.add({}, each);
    }
    return { rows: rows.rows(price), totals: totals.total(price) };
  };
  const forward = priced(groups);
  const a = forward.rows.find((row) => row.values.sub3 === 'a')!;
  assert.equal(a.counters.clicks, 8);
  assert.equal(a.cost, 3 * 0.1 + 3 * 0.1 + 2 * 0.1, 'campaign 1 on day 0, then on day 1, then campaign 2');
  assert.equal(forward.totals.cost, 7 * 0.1 + 3 * 0.1 + 2 * 0.1);
  const backward = priced([...groups].reverse());
  assert.deepEqual(backward.totals, forward.totals);
  assert.deepEqual(
    backward.rows.find((row) => row.values.sub3 === 'a'),
    a,
  );
  assert.deepEqual(new PricedRows([]).total(price).counters.clicks, 0, 'no group: zero totals');
});

test('a ranking read is cut to its top only for a count, largest first, over stored values', () => {
  const spec = (query: string) =>
    parseReportRequest(Object.fromEntries(new URLSearchParams(query)) as Parameters<typeof parseReportRequest>[0]);
  const scope = { userId: 1, from: 0, to: 1 };
  const topOf = (query: string, daily = false) => {
    const asked = spec(query);
    return topRowsOf(asked, clickGroupQuery(asked, scope, daily), { offset: 100, limit: 50 });
  };
  assert.deepEqual(topOf('group_by=sub3,country'), {
    counter: 'clicks',
    count: 150,
    emptyIsNone: ['sub3', 'country'],
    cut: ['sub3', 'country'],
    cutAt: 200,
  });
  assert.deepEqual(topOf('group_by=campaign,placement,status&sort=real_clicks'), {
    counter: 'real_clicks',
    count: 150,
    emptyIsNone: ['placement'],
    cut: [],
    cutAt: 200,
  });
  assert.equal(topOf('group_by=sub3&sort=fraudulent_clicks')?.counter, 'fraud_clicks');
  // The city as its row, its country with it: one text the copy keys by (ClickGroupQuery.cityShown).
  assert.deepEqual(topOf('group_by=city,sub2'), {
    counter: 'clicks',
    count: 150,
    emptyIsNone: ['sub2'],
    cut: ['city', 'sub2'],
    cutAt: 200,
  });
  for (const [query, why] of [
    ['group_by=sub3&order=asc', 'smallest first'],
    ['group_by=sub3&sort=fraud_rate', 'a ratio'],
    ['group_by=sub3&sort=revenue', 'a sum of money'],
    ['group_by=sub3&sort=cost', 'a price'],
    ['group_by=city,country', 'a city beside its country, read apart'],
    ['group_by=traffic_source,sub1', 'a campaign read as its source'],
    ['group_by=sub3,day', 'a local day'],
    ['group_by=sub3&weekday=mon', 'a filter checked per group'],
    ['group_by=sub3,event', 'rows per conversion'],
  ])
    assert.equal(topOf(query!), undefined, why);
  assert.equal(topOf('group_by=sub3', true), undefined, 'grouped by day');
});

test("a top read's page rows count '' as none too, in every column that shows it so", () => {
  const inside = {
    columns: ['sub1', 'sub3', 'country'] as const,
    rows: [
      [null, 'kw', null],
      ['a', null, 'US'],
    ],
  };
  assert.deepEqual(withEmptyAsNone({ ...inside, columns: [...inside.columns] }, ['sub1', 'country']).rows, [
    [null, 'kw', null],
    [null, 'kw', ''],
    ['', 'kw', null],
    ['', 'kw', ''],
    ['a', null, 'US'],
  ]);
});
