import { useState, type ReactNode } from 'react';
import { downloadFile, errorMessage } from './api/client';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" role="status">
      {what}…
    </p>
  );
}

export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="error" role="alert">
      {errorMessage(error)}
      {retry && (
        <button type="button" className="link" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children && <div>{children}</div>}
    </div>
  );
}

/** One click copies; the button says so for two seconds (and falls back when the clipboard is refused). */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2000);
  };
  return (
    <button type="button" className="secondary small" onClick={() => void copy()} aria-live="polite">
      {state === 'copied' ? 'Copied!' : state === 'failed' ? 'Select and copy by hand' : label}
    </button>
  );
}

export function Pager({
  page,
  perPage,
  total,
  onPage,
}: {
  page: number;
  perPage: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (total <= perPage) return null;
  return (
    <nav className="pager" aria-label="Pagination">
      <button type="button" className="secondary small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        Page {page} of {pages} · {total} in all
      </span>
      <button type="button" className="secondary small" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}

/** A ranked bar list: readable on a phone, accessible as a table of numbers. */
export function BarList({ rows, label }: { rows: { name: string; value: number; note?: string }[]; label: string }) {
  const max = Math.max(1, ...rows.map((row) => row.value));
  if (rows.length === 0) return <p className="muted">No clicks in this range.</p>;
  return (
    <table className="bars" aria-label={label}>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name}>
            <th scope="row">{row.name}</th>
            <td className="bar-cell">
              <span className="bar" style={{ width: `${(row.value / max) * 100}%` }} />
            </td>
            <td className="num">
              {row.value.toLocaleString()}
              {row.note ? ` · ${row.note}` : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Kpi({ label, value }: { label: string; value: string }) {
  return (
    <div className="kpi">
      <div className="kpi-label">{label}</div>
      <div className="kpi-value" data-kpi={label}>
        {value}
      </div>
    </div>
  );
}

export const money = (value: number) =>
  value.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const percent = (value: number) => `${value.toFixed(2)}%`;
export const when = (iso: string) => new Date(iso).toLocaleString();

/**
 * YYYY-MM-DD of today minus `days`, in UTC (the API's dates are UTC) or, for a report read in a zone, in
 * that zone: just after midnight in Berlin, today there is already tomorrow in UTC's terms.
 */
export function isoDay(daysAgo = 0, zone = 'UTC'): string {
  // en-CA formats a date as YYYY-MM-DD.
  return new Date(Date.now() - daysAgo * 86_400_000).toLocaleDateString('en-CA', { timeZone: zone });
}

/** A range of whole days, YYYY-MM-DD, both included. */
export interface DayRange {
  from: string;
  to: string;
}

/** The From and To date fields of a filter row; `to` cannot be picked before `from`. */
export function DateRangeFields({
  idPrefix,
  range,
  onChange,
  required = false,
}: {
  idPrefix: string;
  range: DayRange;
  onChange: (range: DayRange) => void;
  required?: boolean;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-from`}>From</label>
        <input
          id={`${idPrefix}-from`}
          type="date"
          required={required}
          value={range.from}
          max={range.to}
          onChange={(e) => onChange({ ...range, from: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-to`}>To</label>
        <input
          id={`${idPrefix}-to`}
          type="date"
          required={required}
          value={range.to}
          min={range.from}
          onChange={(e) => onChange({ ...range, to: e.target.value })}
        />
      </div>
    </>
  );
}

export interface SortState<K extends string> {
  key: K;
  desc: boolean;
}

/** A column header that sorts by its column; a second click turns the order round. */
export function SortHeader<K extends string>({
  column,
  label,
  sort,
  onSort,
  numeric = false,
}: {
  column: K;
  label: string;
  sort: SortState<K>;
  onSort: (column: K) => void;
  numeric?: boolean;
}) {
  const active = sort.key === column;
  return (
    <th className={numeric ? 'num' : undefined} aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort" onClick={() => onSort(column)}>
        {label}
        {active ? (sort.desc ? ' ↓' : ' ↑') : ''}
      </button>
    </th>
  );
}

/**
 * Export CSV: the list endpoint's own `format=csv` with the filter on screen, so the file holds every row
 * of the filter (the server streams it), not the page shown. `query` is the filter without `format`.
 */
export function ExportCsvButton({ path, query, filename }: { path: string; query: URLSearchParams; filename: string }) {
  const [error, setError] = useState<string | null>(null);
  const exportCsv = () => {
    setError(null);
    const params = new URLSearchParams(query);
    params.set('format', 'csv');
    downloadFile(`${path}?${params}`, filename).catch((reason: unknown) => setError(errorMessage(reason)));
  };
  return (
    <div className="field">
      <button type="button" className="secondary" onClick={exportCsv}>
        Export CSV
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A query object as URL parameters, leaving out what is unset. */
export function searchParamsOf(query: Record<string, string | number | undefined>): URLSearchParams {
  return new URLSearchParams(
    Object.entries(query).flatMap(([key, value]) =>
      value === undefined || value === '' ? [] : [[key, String(value)]],
    ),
  );
}
