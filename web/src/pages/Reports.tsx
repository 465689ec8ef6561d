import { useMemo, useState, type FormEvent } from 'react';
import { useLocation, useSearch } from 'wouter';
import { REPORT_DIMENSION_LABELS, type ReportDimension } from '../api/enums';
import { CampaignFilter } from '../campaign-options';
import { DateRangeFields, ExportCsvButton } from '../ui';
import {
  defaultRange,
  REPORT_DIMENSIONS,
  readReport,
  reportParams,
  sortLabel,
  type MAX_GROUPINGS,
  type ReportFilter,
  type ReportSpec,
} from '../report-query';
import { ReportTable } from './ReportTable';

const GROUPING_LABELS = ['Group by', 'then by', 'and then by'] as const satisfies { length: typeof MAX_GROUPINGS };

/** The browser's own zones (what Intl can convert), UTC first: the API takes any IANA name. */
function timeZones(current: string): string[] {
  const zones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
  return zones.includes(current) ? zones : [current, ...zones];
}

/**
 * The report builder. The page's address holds the report (see report-query.ts): running it, sorting by a
 * column or turning a page navigates, so back, reload, a bookmark and a shared link all show the same report.
 */
export function Reports() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const report = useMemo(() => readReport(search), [search]);
  const show = (next: ReportSpec) => navigate(`/reports?${reportParams(next)}`);
  const exportQuery = reportParams({ ...report, page: 1 });
  exportQuery.delete('page');
  return (
    <>
      <h1>Reports</h1>
      {/* Keyed by the address: a new report (back, a sort) starts the form over from it. */}
      <ReportBuilder key={search} report={report} onRun={show} />
      <div className="spread">
        <p className="muted">
          Open a row (▸) to see it by the next grouping; click a column to sort every level by it.
        </p>
        <ExportCsvButton
          path="/api/v2/reports"
          query={exportQuery}
          filename={`report-${report.groupBy.join('-')}-${report.from}-${report.to}.csv`}
        />
      </div>
      <ReportTable report={report} onChange={show} />
    </>
  );
}

function ReportBuilder({ report, onRun }: { report: ReportSpec; onRun: (report: ReportSpec) => void }) {
  const [draft, setDraft] = useState(report);
  const change = (next: Partial<ReportSpec>) => setDraft({ ...draft, ...next });
  // A range nobody changed is "the last seven days" wherever the report is read: it moves with the zone.
  const inZone = (spec: ReportSpec, tz: string): Partial<ReportSpec> => {
    const before = defaultRange(spec.tz);
    return spec.from === before.from && spec.to === before.to ? { tz, ...defaultRange(tz) } : { tz };
  };
  const setGrouping = (level: number, value: ReportDimension | '') => {
    const groupBy = [...draft.groupBy.slice(0, level), ...(value ? [value] : []), ...draft.groupBy.slice(level + 1)];
    // A level cleared takes the ones below it along: the groupings are a path, not a set.
    change({ groupBy: value ? groupBy : groupBy.slice(0, level) });
  };
  const setFilter = (index: number, filter: ReportFilter | null) =>
    change({
      filters: draft.filters.flatMap((current, i) => (i !== index ? [current] : filter ? [filter] : [])),
    });
  const unfiltered = REPORT_DIMENSIONS.find((dimension) => !draft.filters.some((f) => f.dimension === dimension));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onRun({ ...draft, page: 1 });
  };

  return (
    <form className="panel" onSubmit={submit} aria-label="Report">
      <div className="row">
        {GROUPING_LABELS.map((label, level) =>
          level > draft.groupBy.length ? null : (
            <div className="field" key={label}>
              <label htmlFor={`r-group-${level + 1}`}>{label}</label>
              <select
                id={`r-group-${level + 1}`}
                value={draft.groupBy[level] ?? ''}
                onChange={(e) => setGrouping(level, e.target.value as ReportDimension | '')}
              >
                {level > 0 && <option value="">—</option>}
                {REPORT_DIMENSIONS.map((dimension) => (
                  <option
                    key={dimension}
                    value={dimension}
                    disabled={draft.groupBy.includes(dimension) && draft.groupBy[level] !== dimension}
                  >
                    {REPORT_DIMENSION_LABELS[dimension]}
                  </option>
                ))}
              </select>
            </div>
          ),
        )}
      </div>
      <div className="row">
        <CampaignFilter id="r-campaign" value={draft.campaignId} onChange={(campaignId) => change({ campaignId })} />
        <DateRangeFields idPrefix="r" range={draft} onChange={change} required />
        <div className="field">
          <label htmlFor="r-tz">Time zone</label>
          <select id="r-tz" value={draft.tz} onChange={(e) => change(inZone(draft, e.target.value))}>
            {timeZones(draft.tz).map((zone) => (
              <option key={zone}>{zone}</option>
            ))}
          </select>
        </div>
      </div>
      <fieldset>
        <legend>
          Filters <span className="hint">several values: comma-separated (US,DE)</span>
        </legend>
        {draft.filters.map((filter, index) => (
          <div className="row" key={index} data-testid="report-filter">
            <div className="field">
              <select
                aria-label={`Filter ${index + 1} dimension`}
                value={filter.dimension}
                onChange={(e) => setFilter(index, { ...filter, dimension: e.target.value as ReportDimension })}
              >
                {REPORT_DIMENSIONS.map((dimension) => (
                  <option key={dimension} value={dimension}>
                    {REPORT_DIMENSION_LABELS[dimension]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <input
                aria-label={`Filter ${index + 1} values`}
                value={filter.values}
                maxLength={1000}
                onChange={(e) => setFilter(index, { ...filter, values: e.target.value })}
              />
            </div>
            <div className="field">
              <button type="button" className="secondary small" onClick={() => setFilter(index, null)}>
                Remove
              </button>
            </div>
          </div>
        ))}
        {unfiltered && (
          <button
            type="button"
            className="secondary small"
            onClick={() => change({ filters: [...draft.filters, { dimension: unfiltered, values: '' }] })}
          >
            Add filter
          </button>
        )}
      </fieldset>
      <div className="row">
        <div className="field">
          <button type="submit">Run report</button>
        </div>
        <p className="hint">
          Sorted by {sortLabel(draft.sort)} ({draft.order === 'desc' ? 'highest first' : 'lowest first'}): click a
          column to change it.
        </p>
      </div>
    </form>
  );
}
