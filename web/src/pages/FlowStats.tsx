import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, call, type Campaign } from '../api/client';
import type { Flow, FlowPath } from '../api/enums';
import { ErrorBox, Loading, money, percent } from '../ui';
import { useFlowTargets } from './flow-targets';
import type { Names } from '../flow-preview';

type FlowDimension = 'path' | 'offer' | 'lander';
const SPLITS = [
  ['path', 'By path'],
  ['offer', 'By offer'],
  ['lander', 'By lander'],
] as const satisfies ReadonlyArray<readonly [FlowDimension, string]>;

interface Figures {
  clicks: number;
  lp_clicks: number;
  lp_ctr: number;
  conversions: number;
  cr: number;
  revenue: number;
}

/**
 * A row's cost, EPC and ROI, worked out as the campaign's statistics are (src/modules/stats/formulas.ts):
 * a campaign's cost follows only from its cost model and the row's clicks, conversions and revenue, so
 * the split of the campaign's cost by path is exact. Analytics rows carry no cost of their own.
 */
export function rowMoney(campaign: Pick<Campaign, 'cost_model' | 'cost_value'>, row: Figures) {
  const value = campaign.cost_value;
  const cost =
    campaign.cost_model === 'cpc'
      ? value * row.clicks
      : campaign.cost_model === 'cpm'
        ? (value * row.clicks) / 1000
        : campaign.cost_model === 'cpa'
          ? value * row.conversions
          : (value / 100) * row.revenue;
  return {
    epc: row.clicks === 0 ? 0 : row.revenue / row.clicks,
    roi: cost === 0 ? 0 : ((row.revenue - cost) / cost) * 100,
  };
}

function describePath(path: FlowPath | undefined, offers: Names, landers: Names): string {
  if (!path) return 'a path no longer in the flow';
  const total = path.offers.reduce((sum, o) => sum + o.weight, 0);
  const offerText = path.offers
    .map(
      (o) =>
        `${offers.get(o.offer_id) ?? `#${o.offer_id}`}${path.offers.length > 1 ? ` ${Math.round((o.weight / total) * 100)} %` : ''}`,
    )
    .join(' / ');
  return path.lander_id ? `lander ${landers.get(path.lander_id) ?? `#${path.lander_id}`} → ${offerText}` : offerText;
}

/** `DE #1` (the path dimension's value: rule name, path number) → what that path is in the flow. */
function pathLabel(value: string, flow: Flow, offers: Names, landers: Names): string {
  const match = /^(.*) #(\d+)$/.exec(value);
  if (!match) return value;
  const [, rule, number] = match;
  const paths = rule === 'default' ? flow.paths : flow.rules.find((r) => r.name === rule)?.paths;
  return `${rule === 'default' ? 'default' : `rule “${rule}”`} path ${number}: ${describePath(paths?.[Number(number) - 1], offers, landers)}`;
}

function StatsTable({
  campaign,
  dimension,
  title,
  query,
  label,
}: {
  campaign: Campaign;
  dimension: FlowDimension;
  title: string;
  query: { from: string; to: string };
  label: (value: string) => string;
}) {
  const rows = useQuery({
    queryKey: ['campaign', campaign.id, 'flow', dimension, query],
    queryFn: () =>
      call(
        api.GET('/api/v2/analytics/{dimension}', {
          params: { path: { dimension }, query: { ...query, campaign_id: campaign.id, limit: 100 } },
        }),
      ),
  });
  if (rows.isError) return <ErrorBox error={rows.error} />;
  if (rows.isPending) return <Loading />;
  const data = rows.data.data
    .filter((row) => row.value !== null && row.value !== '')
    .map((row) => ({ ...row, ...rowMoney(campaign, row) }));
  const best = data.reduce<(typeof data)[number] | null>(
    (top, row) => (row.clicks > 0 && (!top || row.epc > top.epc) ? row : top),
    null,
  );
  return (
    <section className="panel">
      <h3>{title}</h3>
      {data.length === 0 ? (
        <p className="muted">No clicks through the flow in this range.</p>
      ) : (
        <div className="table-wrap">
          <table aria-label={`${title}: clicks, LP CTR, CR, EPC and ROI`} data-testid={`flow-stats-${dimension}`}>
            <thead>
              <tr>
                <th>{dimension === 'path' ? 'Path' : dimension === 'offer' ? 'Offer' : 'Lander'}</th>
                <th className="num">Clicks</th>
                <th className="num">LP clicks</th>
                <th className="num">LP CTR</th>
                <th className="num">Conv.</th>
                <th className="num">CR</th>
                <th className="num">Revenue</th>
                <th className="num">EPC</th>
                <th className="num">ROI</th>
              </tr>
            </thead>
            <tbody>
              {data.map((row) => (
                <tr key={row.value} data-value={row.value}>
                  <th scope="row">
                    {label(row.value!)}
                    {best === row && data.length > 1 && <span className="badge badge-active"> best EPC</span>}
                  </th>
                  <td className="num" data-measure="clicks">
                    {row.clicks.toLocaleString()}
                  </td>
                  <td className="num">{row.lp_clicks.toLocaleString()}</td>
                  <td className="num" data-measure="lp_ctr">
                    {percent(row.lp_ctr)}
                  </td>
                  <td className="num" data-measure="conversions">
                    {row.conversions.toLocaleString()}
                  </td>
                  <td className="num">{percent(row.cr)}</td>
                  <td className="num" data-measure="revenue">
                    {money(row.revenue)}
                  </td>
                  <td className="num" data-measure="epc">
                    {money(row.epc)}
                  </td>
                  <td className="num">{percent(row.roi)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Which split wins: the flow's figures by path, offer and lander over the page's range. */
export function FlowStats({ campaign, query }: { campaign: Campaign; query: { from: string; to: string } }) {
  return campaign.flow ? <FlowTables campaign={campaign} flow={campaign.flow} query={query} /> : null;
}

function FlowTables({
  campaign,
  flow,
  query,
}: {
  campaign: Campaign;
  flow: Flow;
  query: { from: string; to: string };
}) {
  const { offerNames, landerNames } = useFlowTargets();
  const [dimension, setDimension] = useState<FlowDimension>('path');
  const named = (names: Names, kind: string) => (value: string) => names.get(Number(value)) ?? `${kind} #${value}`;
  return (
    <>
      <h2>
        Flow: which split wins{' '}
        <span className="hint">
          EPC = revenue per click; ROI from the campaign&apos;s cost model; LP CTR = lander click-throughs per click
        </span>
      </h2>
      {/* One table at a time: each is a request, and the starter plan allows 60 a minute for the whole page. */}
      <div className="field">
        <label htmlFor="flow-split">Split by</label>
        <select id="flow-split" value={dimension} onChange={(e) => setDimension(e.target.value as FlowDimension)}>
          {SPLITS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <StatsTable
        key={dimension}
        campaign={campaign}
        dimension={dimension}
        title={SPLITS.find(([value]) => value === dimension)![1]}
        query={query}
        label={
          dimension === 'path'
            ? (value) => pathLabel(value, flow, offerNames, landerNames)
            : dimension === 'offer'
              ? named(offerNames, 'offer')
              : named(landerNames, 'lander')
        }
      />
    </>
  );
}
