import type { Readable } from 'node:stream';
import { csvStream } from '../../csv-writer.ts';
import { toConversion, type Conversion } from './conversion.ts';
import type { ConversionRow } from './conversion.table.ts';

/** The export's columns: the list's fields under the same names, in the list's order. */
export const CONVERSION_CSV_COLUMNS = [
  'id',
  'click_id',
  'campaign_id',
  'payout',
  'transaction_id',
  'status',
  'suspicious',
  'suspicious_reasons',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof Conversion>;

type ConversionCsvRecord = Record<(typeof CONVERSION_CSV_COLUMNS)[number], string | number>;

/** One conversion as a CSV record: booleans as true/false, reasons joined by '; ', nulls as empty cells. */
export function toConversionCsvRecord(conversion: Conversion): ConversionCsvRecord {
  return {
    id: conversion.id,
    click_id: conversion.click_id,
    campaign_id: conversion.campaign_id,
    payout: conversion.payout,
    transaction_id: conversion.transaction_id ?? '',
    status: conversion.status,
    suspicious: String(conversion.suspicious),
    suspicious_reasons: conversion.suspicious_reasons.join('; '),
    created_at: conversion.created_at,
    updated_at: conversion.updated_at,
  };
}

/** The conversions as a CSV stream through the shared writer: transaction ids are the network's to choose. */
export function conversionCsv(rows: AsyncIterable<ConversionRow>, onError: (error: Error) => void): Readable {
  async function* records() {
    for await (const row of rows) yield toConversionCsvRecord(toConversion(row));
  }
  return csvStream(
    CONVERSION_CSV_COLUMNS.map((key) => ({ key, header: key })),
    records(),
    onError,
  );
}
