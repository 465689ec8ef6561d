import { Readable, pipeline } from 'node:stream';
import { stringify, type ColumnOption, type Stringifier } from 'csv-stringify';

/**
 * Characters that make a spreadsheet (Excel, LibreOffice, Google Sheets, Numbers) read a cell as a
 * formula or, for tab, CR and LF, skip to the next significant character and then read a formula. The
 * full-width forms are included because Numbers normalises them to their ASCII twins.
 */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * Prefixes a cell a spreadsheet would run with an apostrophe: spreadsheets show it as text, and a
 * person reading the file still sees the original value after it (OWASP's CSV injection advice).
 */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * The one way this product writes CSV (fraud reports now, every later export too), so no export can
 * forget a rule:
 * - records end in CRLF (RFC 4180), and a field holding CR or LF on its own is quoted as well as one
 *   holding CRLF: csv-stringify, given a record delimiter, quotes only that delimiter by default, and a
 *   lone LF left bare starts a new row in every spreadsheet, whose first cell the attacker chose;
 * - fields holding the separator or a quote are quoted, quotes doubled;
 * - every string cell that starts like a formula is neutralised (numbers are ours, never formulas).
 */
export function csvStringifier(columns: ColumnOption[]): Stringifier {
  return stringify({
    header: true,
    columns,
    record_delimiter: 'windows',
    quote_record_delimiter: true,
    // Our own cast rather than `escape_formulas`: that option leaves a leading LF alone.
    cast: { string: neutraliseFormula },
  });
}

/**
 * Records as a CSV stream: they are pulled only as fast as the client reads (backpressure through
 * Readable.from), so memory stays at what the source holds. `onError` hears a failure of the source or
 * of the writer once; the stream is destroyed with it.
 */
export function csvStream<R extends Record<string, unknown>>(
  columns: ColumnOption[],
  records: AsyncIterable<R> | Iterable<R>,
  onError: (error: Error) => void,
): Readable {
  return pipeline(Readable.from(records), csvStringifier(columns), (error) => {
    if (error) onError(error);
  });
}

/**
 * A download cut short by its client (closed tab, curl interrupted): the HTTP layer destroys the
 * stream, which ends the source's reads. Routine, so it is not logged as a failure.
 */
export function isClientGone(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE';
}
