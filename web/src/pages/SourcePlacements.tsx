import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, call, fetchText, saveBlob } from '../api/client';
import { PLACEMENT_SORT_LABELS, optionsOf, type PlacementSort } from '../api/enums';
import {
  CopyButton,
  DateRangeFields,
  Empty,
  ErrorBox,
  Loading,
  Pager,
  isoDay,
  money,
  percent,
  type DayRange,
} from '../ui';

const PER_PAGE = 50;
/** The API's defaults (placement.enums.ts), shown filled in so the user sees what "default" means. */
const DEFAULT_MAX_FRAUD_RATE = '30';
const DEFAULT_MIN_CLICKS = '20';

/** The zones a source's clicks came from, over a range of UTC days, and the list to blacklist at the network. */
export function SourcePlacements({ sourceId, sourceName }: { sourceId: number; sourceName: string }) {
  const [range, setRange] = useState({ from: isoDay(29), to: isoDay() });
  const [sort, setSort] = useState<PlacementSort>('clicks');
  const [page, setPage] = useState(1);
  const [thresholds, setThresholds] = useState({
    max_fraud_rate: DEFAULT_MAX_FRAUD_RATE,
    min_clicks: DEFAULT_MIN_CLICKS,
  });
  const query = { ...range, sort, page, per_page: PER_PAGE };
  const placements = useQuery({
    queryKey: ['traffic-source', sourceId, 'placements', query],
    queryFn: () =>
      call(api.GET('/api/v1/traffic-sources/{id}/placements', { params: { path: { id: sourceId }, query } })),
  });
  // A cleared threshold is left out, so the server's default applies rather than a 400 for an empty value.
  const exclusionQuery = new URLSearchParams(
    Object.entries({ ...range, ...thresholds, format: 'text' }).filter(([, value]) => value.trim() !== ''),
  );
  const exclusionPath = `/api/v1/traffic-sources/${sourceId}/placement-exclusions?${exclusionQuery.toString()}`;
  // The text the network's blacklist takes, exactly as the server writes it: what is copied is what is downloaded.
  const exclusions = useQuery({
    queryKey: ['traffic-source', sourceId, 'placement-exclusions', exclusionPath],
    queryFn: () => fetchText(exclusionPath),
  });
  const excluded = new Set(exclusions.data?.split('\n').filter(Boolean));
  const changeRange = (next: DayRange) => {
    setPage(1);
    setRange(next);
  };

  return (
    <section className="panel" aria-labelledby="placements-title">
      <h2 id="placements-title" style={{ marginTop: 0 }}>
        Placements
      </h2>
      <div className="row">
        <DateRangeFields idPrefix="pl" range={range} onChange={changeRange} />
        <div className="field">
          <label htmlFor="pl-sort">Sort by</label>
          <select
            id="pl-sort"
            value={sort}
            onChange={(e) => {
              setPage(1);
              setSort(e.target.value as PlacementSort);
            }}
          >
            {optionsOf(PLACEMENT_SORT_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {placements.isPending && <Loading what="Loading placements" />}
      {placements.isError && <ErrorBox error={placements.error} retry={() => void placements.refetch()} />}
      {placements.data && placements.data.data.length === 0 && (
        <Empty title="No clicks from this source in the range">
          Placements appear once clicks arrive through a tracking URL carrying the source&apos;s placement parameter.
        </Empty>
      )}
      {placements.data && placements.data.data.length > 0 && (
        <div className="table-wrap">
          <table data-testid="placements">
            <thead>
              <tr>
                <th>Placement</th>
                <th className="num">Clicks</th>
                <th className="num">Fraud rate</th>
                <th className="num">Conversions</th>
                <th className="num">Revenue</th>
                <th className="num">Cost</th>
                <th className="num">ROI</th>
              </tr>
            </thead>
            <tbody>
              {placements.data.data.map((row) => (
                <tr key={row.placement ?? ''}>
                  <td className="mono">
                    {row.placement ?? <span className="muted">(none)</span>}
                    {row.placement !== null && excluded.has(row.placement) && (
                      <span className="badge badge-failed" style={{ marginLeft: '0.3rem' }}>
                        to exclude
                      </span>
                    )}
                  </td>
                  <td className="num">{row.clicks.toLocaleString()}</td>
                  <td className="num" title={`${row.fraudulent_clicks.toLocaleString()} fraudulent`}>
                    {percent(row.fraud_rate)}
                  </td>
                  <td className="num">{row.conversions.toLocaleString()}</td>
                  <td className="num">{money(row.revenue)}</td>
                  <td className="num">{money(row.cost)}</td>
                  <td className="num">{percent(row.roi)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} perPage={PER_PAGE} total={placements.data.meta.total} onPage={setPage} />
        </div>
      )}

      <h3>Exclusion list</h3>
      <p className="hint">
        Placements with enough clicks to judge and a fraud rate above the threshold, one per line, for the
        network&apos;s blacklist.
      </p>
      <div className="row">
        <div className="field">
          <label htmlFor="ex-rate">Max fraud rate (%)</label>
          <input
            id="ex-rate"
            type="number"
            min={0}
            max={100}
            step="any"
            value={thresholds.max_fraud_rate}
            onChange={(e) => setThresholds((t) => ({ ...t, max_fraud_rate: e.target.value }))}
          />
        </div>
        <div className="field">
          <label htmlFor="ex-clicks">Min clicks</label>
          <input
            id="ex-clicks"
            type="number"
            min={1}
            step={1}
            value={thresholds.min_clicks}
            onChange={(e) => setThresholds((t) => ({ ...t, min_clicks: e.target.value }))}
          />
        </div>
      </div>
      {exclusions.isError && <ErrorBox error={exclusions.error} />}
      {exclusions.data !== undefined && (
        <>
          <p data-testid="exclusion-count">
            {excluded.size === 0
              ? 'No placement passes these thresholds.'
              : `${excluded.size.toLocaleString()} ${excluded.size === 1 ? 'placement' : 'placements'} to exclude.`}
          </p>
          {excluded.size > 0 && (
            <>
              <textarea
                readOnly
                aria-label="Placements to exclude"
                rows={Math.min(8, excluded.size)}
                className="mono"
                value={exclusions.data}
              />
              <div className="row" style={{ marginTop: '0.5rem' }}>
                <button
                  type="button"
                  className="secondary small"
                  onClick={() =>
                    saveBlob(
                      new Blob([exclusions.data], { type: 'text/plain;charset=utf-8' }),
                      `exclusions-${slug(sourceName)}-${range.from}-${range.to}.txt`,
                    )
                  }
                >
                  Download .txt
                </button>
                <CopyButton text={exclusions.data} label="Copy list" />
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}

/** A file-name-safe form of the source's name. */
const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'source';
