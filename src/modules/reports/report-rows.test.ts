import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReportRequest } from './report-query.ts';
import { sortRows, type PresentedRow } from './report-rows.ts';
import type { ReportMetrics } from '../stats/formulas.ts';

const spec = (query: string) =>
  parseReportRequest(Object.fromEntries(new URLSearchParams(query)) as Parameters<typeof parseReportRequest>[0]);

const row = (sub1: string | null, weekday: string | null, clicks: number): PresentedRow => ({
  row: { sub1, weekday, clicks },
  metrics: { clicks } as ReportMetrics,
});

const order = (rows: PresentedRow[]) => rows.map(({ row }) => `${String(row.sub1)}/${String(row.weekday)}`);

test('rows sort by the metric, ties by the grouped values as people read them, none last', () => {
  const rows = [
    row('c', 'mon', 5),
    row(null, 'mon', 5),
    row('B', 'tue', 5),
    row('a', 'sun', 5),
    row('a', 'mon', 5),
    row('a', null, 5),
    row('z', 'mon', 9),
  ];
  // Collated, not by code point ('B' after 'a'); weekdays in the week's order; none last.
  assert.deepEqual(order(sortRows([...rows], spec('group_by=sub1,weekday'))), [
    'z/mon',
    'a/mon',
    'a/sun',
    'a/null',
    'B/tue',
    'c/mon',
    'null/mon',
  ]);
  assert.deepEqual(order(sortRows([...rows], spec('group_by=sub1,weekday&sort=clicks&order=asc'))).at(-1), 'z/mon');
});

test('rows sorted by a grouped value keep none last in both directions', () => {
  const rows = [row('a', 'mon', 1), row(null, 'tue', 2), row('b', 'wed', 3), row(null, 'mon', 4)];
  assert.deepEqual(order(sortRows([...rows], spec('group_by=sub1,weekday&sort=sub1&order=desc'))), [
    'b/wed',
    'a/mon',
    'null/mon',
    'null/tue',
  ]);
  assert.deepEqual(order(sortRows([...rows], spec('group_by=sub1,weekday&sort=weekday&order=desc'))), [
    'b/wed',
    'null/tue',
    'a/mon',
    'null/mon',
  ]);
});
