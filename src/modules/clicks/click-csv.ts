import type { Readable } from 'node:stream';
import { csvStream } from '../../csv-writer.ts';
import { SUB_ID_NAMES } from './click.enums.ts';
import { toClickSummary, type ClickSummary } from './click.ts';
import type { ClickWithConversion } from './click.repository.ts';

/**
 * The export's columns: the list's fields under the same names, in the list's order, so a sheet and
 * the JSON list say the same thing (the address masked as in the list).
 */
export const CLICK_CSV_COLUMNS = [
  'id',
  'created_at',
  'campaign_id',
  'ip',
  'country',
  'city',
  'device',
  'os',
  'browser',
  'status',
  'is_bot',
  'is_vpn',
  'converted',
  'fraud_types',
  'fraud_score',
  'action',
  'external_id',
  'placement',
  ...SUB_ID_NAMES,
] as const satisfies ReadonlyArray<keyof ClickSummary>;

type ClickCsvRecord = Record<(typeof CLICK_CSV_COLUMNS)[number], string | number>;

/** One click as a CSV record: booleans as true/false, fraud types joined by ';', nulls as empty cells. */
export function toClickCsvRecord(click: ClickSummary): ClickCsvRecord {
  const record = {} as ClickCsvRecord;
  for (const column of CLICK_CSV_COLUMNS) {
    const value = click[column];
    record[column] = Array.isArray(value)
      ? value.join(';')
      : typeof value === 'boolean'
        ? String(value)
        : (value ?? '');
  }
  return record;
}

/**
 * The clicks as a CSV stream through the shared writer (quoting and formula rules live there): sub ids,
 * placements and external ids are whatever the tracking URL carried, so any of them may be `=cmd|…`.
 */
export function clickCsv(rows: AsyncIterable<ClickWithConversion>, onError: (error: Error) => void): Readable {
  async function* records() {
    for await (const row of rows) yield toClickCsvRecord(toClickSummary(row));
  }
  return csvStream(
    CLICK_CSV_COLUMNS.map((key) => ({ key, header: key })),
    records(),
    onError,
  );
}
