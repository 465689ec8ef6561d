import { useEffect, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type LiveClick } from '../api/client';
import { followClicks } from '../api/live-clicks';
import { TrafficChart } from '../chart';
import { fillTrafficSeries, type TrafficPoint } from '../traffic-series';
import { SUB_ID_NAMES } from '../api/enums';
import { SubIds } from '../sub-ids';
import { BarList, CopyButton, Empty, ErrorBox, Kpi, Loading, StatusBadge, isoDay, money, percent } from '../ui';
import { PostbackUrl } from './Conversions';
import { CampaignCosts } from './CampaignCosts';
import { FlowStats } from './FlowStats';

const RANGES = [
  ['today', 'Today', 0],
  ['7d', 'Last 7 days', 6],
  ['30d', 'Last 30 days', 29],
  ['90d', 'Last 90 days', 89],
] as const;

type Dimension = 'os' | 'browser';

export function CampaignDetail({ id }: { id: number }) {
  const [range, setRange] = useState<(typeof RANGES)[number][0]>('7d');
  const days = RANGES.find(([key]) => key === range)![2];
  const query = { from: isoDay(days), to: isoDay() };
  const campaign = useQuery({
    queryKey: ['campaign', id],
    queryFn: () => call(api.GET('/api/v1/campaigns/{id}', { params: { path: { id } } })),
  });
  const stats = useQuery({
    queryKey: ['campaign', id, 'stats', query],
    queryFn: () => call(api.GET('/api/v1/campaigns/{id}/stats', { params: { path: { id }, query } })),
  });
  const timeDimension = days === 0 ? 'hour' : 'day';
  const series = useQuery({
    queryKey: ['campaign', id, 'series', timeDimension, query],
    queryFn: () =>
      call(
        api.GET('/api/v2/analytics/{dimension}', {
          params: { path: { dimension: timeDimension }, query: { ...query, campaign_id: id, limit: 1000 } },
        }),
      ),
  });
  const countries = useQuery({
    queryKey: ['campaign', id, 'countries', query],
    queryFn: () =>
      call(api.GET('/api/v2/analytics/countries', { params: { query: { ...query, campaign_id: id, limit: 10 } } })),
  });
  const devices = useQuery({
    queryKey: ['campaign', id, 'devices', query],
    queryFn: () =>
      call(api.GET('/api/v2/analytics/devices', { params: { query: { ...query, campaign_id: id, limit: 10 } } })),
  });
  const dimension = (name: Dimension) => ({
    queryKey: ['campaign', id, name, query],
    queryFn: () =>
      call(
        api.GET('/api/v2/analytics/{dimension}', {
          params: { path: { dimension: name }, query: { ...query, campaign_id: id, limit: 10 } },
        }),
      ),
  });
  const os = useQuery(dimension('os'));
  const browsers = useQuery(dimension('browser'));
  const fraud = useQuery({
    queryKey: ['campaign', id, 'fraud', query],
    queryFn: () => call(api.GET('/api/v2/fraud/stats', { params: { query: { ...query, campaign_id: id } } })),
  });

  // Every day (or, for today, every hour) of the chosen range, quiet ones as zero: the axis is the range.
  const { from, to } = query;
  const points = useMemo<TrafficPoint[]>(
    () => fillTrafficSeries(series.data?.data ?? [], timeDimension, from, to),
    [series.data, timeDimension, from, to],
  );
  const charted = (series.data?.data.length ?? 0) > 0;

  if (campaign.isPending) return <Loading what="Loading the campaign" />;
  if (campaign.isError) return <ErrorBox error={campaign.error} />;
  const c = campaign.data.data;
  const s = stats.data?.data;
  const named = (rows: Record<string, unknown>[] | undefined, key: string) =>
    (rows ?? []).map((row) => ({
      name: (row[key] as string | null) ?? 'unknown',
      value: row.clicks as number,
      note: `${percent(row.fraud_rate as number)} fraud`,
    }));

  return (
    <>
      <div className="spread">
        <h1>
          {c.name} <StatusBadge status={c.status} />
        </h1>
        <div className="row">
          <Link href={`/campaigns/${id}/edit`} className="button secondary">
            Edit
          </Link>
          <Link href={`/clicks?campaign_id=${id}`} className="button secondary">
            Clicks
          </Link>
        </div>
      </div>
      <div className="panel">
        <label htmlFor="tracking-url">Tracking URL</label>
        <div className="copyline">
          <code id="tracking-url">{c.tracking_url}</code>
          <CopyButton text={c.tracking_url} />
        </div>
        {c.tracking_url_for_source && (
          <>
            <label htmlFor="tracking-url-for-source">Tracking URL for the traffic source&apos;s network</label>
            <div className="copyline">
              <code id="tracking-url-for-source">{c.tracking_url_for_source}</code>
              <CopyButton text={c.tracking_url_for_source} />
            </div>
            <p className="hint">
              Paste this one into the network: its macros fill in the network&apos;s click id, the click&apos;s cost and
              the placement.
            </p>
          </>
        )}
        {c.flow ? (
          <p className="hint">
            Destination: a flow of {c.flow.rules.length} {c.flow.rules.length === 1 ? 'rule' : 'rules'} and default
            paths, {c.flow.rotation === 'auto' ? 'auto rotation' : 'fixed weights'} (
            <Link href={`/campaigns/${id}/edit`}>edit the flow</Link>)
          </p>
        ) : (
          <p className="hint">
            Destination: <code>{c.destination_url ?? 'none set (clicks are recorded and shown a plain page)'}</code>
          </p>
        )}
        <PostbackUrl allowRepeats={c.allow_repeat_conversions} />
      </div>
      <div className="spread">
        <h2>Performance</h2>
        <div className="field">
          <label htmlFor="range">Range</label>
          <select id="range" value={range} onChange={(e) => setRange(e.target.value as typeof range)}>
            {RANGES.map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {stats.isError && <ErrorBox error={stats.error} />}
      {s ? (
        <div className="kpis" aria-label="Key figures">
          <Kpi label="Clicks" value={s.clicks.toLocaleString()} />
          <Kpi label="Unique" value={s.unique_clicks.toLocaleString()} />
          <Kpi label="Real" value={s.real_clicks.toLocaleString()} />
          <Kpi label="Bot" value={s.bot_clicks.toLocaleString()} />
          <Kpi label="VPN" value={s.vpn_clicks.toLocaleString()} />
          <Kpi label="Conversions" value={s.conversions.toLocaleString()} />
          <Kpi label="Suspicious conv." value={s.suspicious_conversions.toLocaleString()} />
          <Kpi label="Revenue" value={money(s.revenue)} />
          <Kpi label="Cost" value={money(s.cost)} />
          <Kpi label="Profit" value={money(s.profit)} />
          <Kpi label="ROI" value={percent(s.roi)} />
          <Kpi label="CR" value={percent(s.cr)} />
          <Kpi label="EPC" value={money(s.epc)} />
        </div>
      ) : (
        !stats.isError && <Loading what="Loading figures" />
      )}
      {s && s.clicks === 0 && (
        <Empty title="No clicks in this range yet">
          Put the tracking URL above in your ad (or open it in a browser to try it). Clicks appear in the live feed
          below as they arrive.
        </Empty>
      )}
      <CampaignCosts campaignId={id} />
      <FlowStats campaign={c} query={query} />
      <h2>
        Traffic over time{' '}
        <span className="hint">
          <span className="legend-real">■ real</span> <span className="legend-bot">■ bot</span>{' '}
          <span className="legend-vpn">■ VPN</span>
          {timeDimension === 'hour' ? ' · by hour of day (UTC)' : ''}
        </span>
      </h2>
      <div className="panel">
        {series.isError ? (
          <ErrorBox error={series.error} />
        ) : charted ? (
          <TrafficChart points={points} label="Real, bot and VPN clicks over time" />
        ) : (
          <p className="muted">No clicks to chart.</p>
        )}
      </div>
      <LiveFeed campaignId={id} />
      <h2>Breakdowns</h2>
      <div className="grid2">
        <section className="panel">
          <h3>Countries</h3>
          {countries.isError ? (
            <ErrorBox error={countries.error} />
          ) : (
            <BarList label="Clicks by country" rows={named(countries.data?.data, 'country')} />
          )}
        </section>
        <section className="panel">
          <h3>Devices</h3>
          {devices.isError ? (
            <ErrorBox error={devices.error} />
          ) : (
            <BarList label="Clicks by device" rows={named(devices.data?.data, 'device')} />
          )}
        </section>
        <section className="panel">
          <h3>Operating systems</h3>
          <BarList label="Clicks by OS" rows={named(os.data?.data, 'value')} />
        </section>
        <section className="panel">
          <h3>Browsers</h3>
          <BarList label="Clicks by browser" rows={named(browsers.data?.data, 'value')} />
        </section>
        <section className="panel">
          <h3>Fraud by type</h3>
          {fraud.data ? (
            <>
              <p>
                {fraud.data.data.fraudulent_clicks.toLocaleString()} of {fraud.data.data.total_clicks.toLocaleString()}{' '}
                clicks fraudulent ({percent(fraud.data.data.fraud_rate)}), estimated savings{' '}
                {money(fraud.data.data.estimated_savings)}
              </p>
              <BarList
                label="Fraudulent clicks by type"
                rows={Object.entries(fraud.data.data.fraud_by_type)
                  .map(([name, value]) => ({ name, value }))
                  .filter((row) => row.value > 0)}
              />
            </>
          ) : fraud.isError ? (
            <ErrorBox error={fraud.error} />
          ) : (
            <Loading />
          )}
        </section>
      </div>
    </>
  );
}

/** The newest clicks as they are recorded, over GET /api/v1/clicks/stream; figures above refresh as they come. */
function LiveFeed({ campaignId }: { campaignId: number }) {
  const [clicks, setClicks] = useState<LiveClick[]>([]);
  const [state, setState] = useState<'connecting' | 'live' | 'offline'>('connecting');
  const queryClient = useQueryClient();
  useEffect(() => {
    const controller = new AbortController();
    let refresh: ReturnType<typeof setTimeout> | undefined;
    void followClicks(
      campaignId,
      ({ type, click }) => {
        setClicks((current) =>
          type === 'amended' ? current.map((c) => (c.id === click.id ? click : c)) : [click, ...current].slice(0, 50),
        );
        // Figures follow the feed, at most once a second however fast clicks come.
        refresh ??= setTimeout(() => {
          refresh = undefined;
          void queryClient.invalidateQueries({ queryKey: ['campaign', campaignId] });
        }, 1000);
      },
      setState,
      controller.signal,
    );
    return () => {
      controller.abort();
      clearTimeout(refresh);
    };
  }, [campaignId, queryClient]);
  return (
    <section className="panel" aria-labelledby="live-title">
      <div className="spread">
        <h2 id="live-title" style={{ margin: 0 }}>
          Live clicks
        </h2>
        <span className="hint" role="status" data-testid="live-state">
          {state === 'live' ? '● live' : state === 'connecting' ? 'connecting…' : 'offline, retrying'}
        </span>
      </div>
      {clicks.length === 0 ? (
        <p className="muted">
          Waiting for clicks. New clicks on this campaign appear here the moment they are recorded.
        </p>
      ) : (
        <ul className="feed" data-testid="live-feed">
          {clicks.map((click) => (
            <li key={click.id}>
              <StatusBadge status={click.status} />
              <Link href={`/clicks/${click.id}`}>
                <code>{click.id}</code>
              </Link>
              <span>
                {click.country ?? '??'} · {click.device} · {click.browser ?? 'unknown'} · {click.ip}
              </span>
              {SUB_ID_NAMES.some((name) => click[name]) && <SubIds click={click} />}
              {click.reasons[0] && <span className="hint">{click.reasons[0].message}</span>}
              <span className="hint">{new Date(click.created_at).toLocaleTimeString()}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
