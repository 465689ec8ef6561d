import { useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { fetchJson, type ReportPage } from '../api/client';
import { REPORT_DIMENSION_LABELS, REPORT_METRIC_LABELS, type ReportMetric } from '../api/enums';
import { Empty, ErrorBox, Loading, Pager, SortHeader, money, percent } from '../ui';
import {
  REPORT_METRICS,
  groupLabel,
  levelParams,
  sortedBy,
  underAncestors,
  type Ancestor,
  type ReportRow,
  type ReportSort,
  type ReportSpec,
  type ReportValue,
} from '../report-query';

const PAGE_SIZE = 50;
/** Rows shown under an expanded row; a longer tail is for the export or a filter. */
const DRILL_LIMIT = 200;
const MONEY: ReadonlySet<ReportMetric> = new Set(['revenue', 'cost', 'profit', 'epc', 'cpc', 'estimated_savings']);
const PERCENT: ReadonlySet<ReportMetric> = new Set(['fraud_rate', 'lp_ctr', 'roi', 'cr']);
const COLUMNS = REPORT_METRICS.length + 1;

function useReportRows(params: URLSearchParams) {
  const path = `/api/v2/reports?${params}`;
  return useQuery({ queryKey: ['report', path], queryFn: () => fetchJson<ReportPage>(path) });
}

function formatMetric(metric: ReportMetric, value: ReportValue | undefined): string {
  if (typeof value !== 'number') return '—';
  if (MONEY.has(metric)) return money(value);
  if (PERCENT.has(metric)) return percent(value);
  return value.toLocaleString();
}

/** The report's first level, a page at a time; each row opens onto the next grouping, loaded when opened. */
export function ReportTable({ report, onChange }: { report: ReportSpec; onChange: (report: ReportSpec) => void }) {
  const top = useReportRows(levelParams(report, [], PAGE_SIZE));
  const sorting = {
    sort: { key: report.sort, desc: report.order === 'desc' },
    onSort: (column: ReportSort) => onChange(sortedBy(report, column)),
  };
  if (top.isPending) return <Loading what="Running the report" />;
  if (top.isError) return <ErrorBox error={top.error} retry={() => void top.refetch()} />;
  if (top.data.data.length === 0)
    return <Empty title="No clicks match this report">Widen the dates or clear a filter.</Empty>;
  return (
    <div className="panel table-wrap">
      <table data-testid="report" className="report">
        <thead>
          <tr>
            <SortHeader
              column={report.groupBy[0]!}
              label={report.groupBy.map((dimension) => REPORT_DIMENSION_LABELS[dimension]).join(' › ')}
              {...sorting}
            />
            {REPORT_METRICS.map((metric) => (
              <SortHeader key={metric} column={metric} label={REPORT_METRIC_LABELS[metric]} {...sorting} numeric />
            ))}
          </tr>
        </thead>
        <tbody>
          <ReportRows report={report} rows={top.data.data} ancestors={[]} />
        </tbody>
        <tfoot>
          <tr data-testid="report-totals">
            <th scope="row" className="report-group">
              <span className="expander" aria-hidden="true" />
              Total
            </th>
            <MetricCells row={top.data.meta.totals} />
          </tr>
        </tfoot>
      </table>
      <Pager
        page={report.page}
        perPage={PAGE_SIZE}
        total={top.data.meta.total}
        onPage={(page) => onChange({ ...report, page })}
      />
    </div>
  );
}

function MetricCells({ row }: { row: Partial<Record<string, ReportValue>> }) {
  return REPORT_METRICS.map((metric) => (
    <td key={metric} className="num" data-metric={metric}>
      {formatMetric(metric, row[metric])}
    </td>
  ));
}

function ReportRows({
  report,
  rows,
  ancestors,
}: {
  report: ReportSpec;
  rows: readonly ReportRow[];
  ancestors: readonly Ancestor[];
}) {
  const dimension = report.groupBy[ancestors.length]!;
  return rows.map((row) => (
    <ReportLine key={String(row[dimension] ?? '')} report={report} row={row} ancestors={ancestors} />
  ));
}

function ReportLine({
  report,
  row,
  ancestors,
}: {
  report: ReportSpec;
  row: ReportRow;
  ancestors: readonly Ancestor[];
}) {
  const [open, setOpen] = useState(false);
  const level = ancestors.length;
  const dimension = report.groupBy[level]!;
  const label = groupLabel(row, dimension);
  const deeper = level + 1 < report.groupBy.length;
  return (
    <>
      <tr data-level={level + 1}>
        <th scope="row" className="report-group" style={{ paddingLeft: `${0.5 + level * 1.5}rem` }}>
          {deeper ? (
            <button
              type="button"
              className="link expander"
              aria-expanded={open}
              aria-label={`${open ? 'Collapse' : 'Expand'} ${label}`}
              onClick={() => setOpen(!open)}
            >
              {open ? '▾' : '▸'}
            </button>
          ) : (
            <span className="expander" aria-hidden="true" />
          )}
          <span className="group-label">{label}</span>
        </th>
        <MetricCells row={row} />
      </tr>
      {open && (
        <ReportChildren report={report} ancestors={[...ancestors, { dimension, value: row[dimension] ?? null }]} />
      )}
    </>
  );
}

/** The next level under an opened row, as one message row while it loads or fails. */
function ReportChildren({ report, ancestors }: { report: ReportSpec; ancestors: readonly Ancestor[] }) {
  const children = useReportRows(levelParams(report, ancestors, DRILL_LIMIT));
  const message = (content: ReactNode) => (
    <tr data-level={ancestors.length + 1}>
      <td colSpan={COLUMNS} style={{ paddingLeft: `${2 + ancestors.length * 1.5}rem` }}>
        {content}
      </td>
    </tr>
  );
  if (children.isPending) return message(<Loading what="Loading the next level" />);
  if (children.isError) return message(<ErrorBox error={children.error} retry={() => void children.refetch()} />);
  const rows = children.data.data.filter((row) => underAncestors(row, ancestors));
  if (rows.length === 0) return message(<span className="muted">No rows at this level.</span>);
  return (
    <>
      <ReportRows report={report} rows={rows} ancestors={ancestors} />
      {children.data.data.length >= DRILL_LIMIT &&
        message(<span className="muted">The first {DRILL_LIMIT} rows by this sort; export CSV for all of them.</span>)}
    </>
  );
}
