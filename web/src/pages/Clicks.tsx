import { useState, type FormEvent } from 'react';
import { Link, useSearch } from 'wouter';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { CLICK_STATUSES, SUB_ID_NAMES, type ClickStatus, type SubIdName } from '../api/enums';
import {
  DateRangeFields,
  Empty,
  ErrorBox,
  ExportCsvButton,
  Loading,
  Pager,
  StatusBadge,
  isoDay,
  searchParamsOf,
  when,
} from '../ui';
import { SubIds, subIdText } from '../sub-ids';
import { ClickBeacon } from './ClickBeacon';
import { CampaignFilter, useCampaignOptions } from '../campaign-options';

const PER_PAGE = 50;

export function Clicks() {
  const search = new URLSearchParams(useSearch());
  const initialCampaign = search.get('campaign_id') ?? '';
  const [draft, setDraft] = useState({
    campaign_id: initialCampaign,
    from: isoDay(6),
    to: isoDay(),
    status: '',
    country: '',
    sub_name: 'sub1' as SubIdName,
    sub_value: '',
  });
  const [filter, setFilter] = useState(draft);
  const [page, setPage] = useState(1);
  const campaigns = useCampaignOptions();
  const filterQuery = {
    from: filter.from,
    to: filter.to,
    ...(filter.campaign_id ? { campaign_id: Number(filter.campaign_id) } : {}),
    ...(filter.status ? { status: filter.status as ClickStatus } : {}),
    ...(filter.country ? { country: filter.country.toUpperCase() } : {}),
    ...(filter.sub_value ? { [filter.sub_name]: filter.sub_value } : {}),
  };
  const query = { page, per_page: PER_PAGE, ...filterQuery };
  const clicks = useQuery({
    queryKey: ['clicks', query],
    queryFn: () => call(api.GET('/api/v1/clicks', { params: { query } })),
  });
  const names = new Map(campaigns.data?.data.map((c) => [c.id, c.name]));
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setPage(1);
    setFilter(draft);
  };

  return (
    <>
      <h1>Clicks</h1>
      <form className="panel row" onSubmit={apply} aria-label="Filters">
        <CampaignFilter
          id="f-campaign"
          value={draft.campaign_id}
          onChange={(campaign_id) => setDraft({ ...draft, campaign_id })}
        />
        <DateRangeFields idPrefix="f" range={draft} onChange={(range) => setDraft({ ...draft, ...range })} />
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select id="f-status" value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
            <option value="">all</option>
            {CLICK_STATUSES.map((status) => (
              <option key={status}>{status}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-country">Country</label>
          <input
            id="f-country"
            size={4}
            maxLength={2}
            placeholder="US"
            value={draft.country}
            onChange={(e) => setDraft({ ...draft, country: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="f-sub-name">Sub id</label>
          <span className="row">
            <select
              id="f-sub-name"
              aria-label="Which sub id"
              value={draft.sub_name}
              onChange={(e) => setDraft({ ...draft, sub_name: e.target.value as SubIdName })}
            >
              {SUB_ID_NAMES.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
            <input
              id="f-sub-value"
              aria-label="Sub id value"
              size={10}
              maxLength={255}
              placeholder="exact value"
              value={draft.sub_value}
              onChange={(e) => setDraft({ ...draft, sub_value: e.target.value })}
            />
          </span>
        </div>
        <div className="field">
          <button type="submit">Apply</button>
        </div>
        <ExportCsvButton
          path="/api/v1/clicks"
          query={searchParamsOf(filterQuery)}
          filename={`clicks-${filter.from}-${filter.to}.csv`}
        />
      </form>
      {clicks.isPending && <Loading what="Loading clicks" />}
      {clicks.isError && <ErrorBox error={clicks.error} retry={() => void clicks.refetch()} />}
      {clicks.data && clicks.data.data.length === 0 && (
        <Empty title="No clicks match">
          Widen the dates or clear a filter. No clicks at all yet? Open a campaign's tracking URL to send one.
        </Empty>
      )}
      {clicks.data && clicks.data.data.length > 0 && (
        <div className="panel table-wrap">
          <table>
            <thead>
              <tr>
                <th>Time</th>
                <th>Status</th>
                <th className="hide-phone">Campaign</th>
                <th>Country</th>
                <th className="hide-phone">Device / OS / browser</th>
                <th className="hide-phone">IP</th>
                <th className="num">Score</th>
                <th className="hide-phone">Sub ids</th>
                <th>Click</th>
              </tr>
            </thead>
            <tbody>
              {clicks.data.data.map((click) => (
                <tr key={click.id}>
                  <td>{when(click.created_at)}</td>
                  <td>
                    <StatusBadge status={click.status} />
                    {click.converted && <span className="badge badge-approved">converted</span>}
                  </td>
                  <td className="hide-phone">{names.get(click.campaign_id) ?? click.campaign_id}</td>
                  <td>
                    {click.country ?? '—'}
                    {click.city ? `, ${click.city}` : ''}
                  </td>
                  <td className="hide-phone">
                    {click.device} / {click.os ?? '—'} / {click.browser ?? '—'}
                  </td>
                  <td className="hide-phone mono">{click.ip}</td>
                  <td className="num">{click.fraud_score}</td>
                  <td className="hide-phone">
                    <SubIds click={click} />
                  </td>
                  <td>
                    <Link href={`/clicks/${click.id}`}>
                      Details
                      <span className="hide-phone">
                        {' '}
                        <code>{click.id.slice(0, 12)}…</code>
                      </span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} perPage={PER_PAGE} total={clicks.data.meta.total} onPage={setPage} />
        </div>
      )}
    </>
  );
}

export function ClickDetailPage({ id }: { id: string }) {
  const click = useQuery({
    queryKey: ['click', id],
    queryFn: () => call(api.GET('/api/v1/clicks/{clickid}', { params: { path: { clickid: id } } })),
  });
  if (click.isPending) return <Loading what="Loading the click" />;
  if (click.isError) return <ErrorBox error={click.error} />;
  const c = click.data.data;
  const facts: [string, string][] = [
    ['Click id', c.id],
    ['Time', when(c.created_at)],
    ['Status', c.status],
    ['Action', c.action],
    ['Fraud score', String(c.fraud_score)],
    ['Fraud types', c.fraud_types.join(', ') || 'none'],
    ['Primary fraud type', c.primary_fraud_type ?? 'none'],
    [
      'Bot / VPN / verified bot / duplicate',
      [c.is_bot, c.is_vpn, c.is_verified_bot, c.is_duplicate].map((f) => (f ? 'yes' : 'no')).join(' / '),
    ],
    ['Converted', c.converted ? 'yes' : 'no'],
    ['IP', c.ip],
    ['Location', [c.city, c.region, c.country].filter(Boolean).join(', ') || 'unknown'],
    ['Network', c.asn ? `AS${c.asn} ${c.as_org ?? ''}` : 'unknown'],
    ['Device / OS / browser', `${c.device} / ${c.os ?? '—'} / ${c.browser ?? '—'}`],
    ['User agent', c.user_agent],
    ['Referrer', c.referrer ?? 'none'],
    ['Platform click id', c.platform_click_id ?? 'none'],
    ["Traffic source's click id", c.external_id ?? 'none'],
    ['Placement', c.placement ?? 'none'],
    ['Sub ids', subIdText(c)],
    ['Query', Object.keys(c.query).length ? new URLSearchParams(c.query).toString() : 'none'],
    // A campaign with a flow: where the click went (SPEC section 8); without one these are all null.
    ...(c.rule === null
      ? []
      : ([
          ['Flow', `rule “${c.rule}”, path ${c.path ?? '—'}`],
          [
            'Lander',
            c.lander_id === null
              ? 'none (straight to the offer)'
              : `#${c.lander_id}, ${c.lp_clicked_at ? `clicked through ${when(c.lp_clicked_at)}` : 'not clicked through'}`,
          ],
          ['Offer', c.offer_id === null ? 'none' : `#${c.offer_id}`],
        ] as [string, string][])),
  ];
  return (
    <>
      <p>
        <Link href={`/campaigns/${c.campaign_id}`}>← Campaign</Link> · <Link href="/clicks">All clicks</Link>
      </p>
      <h1>
        Click <StatusBadge status={c.status} />
      </h1>
      <section className="panel" aria-labelledby="reasons-title">
        <h2 id="reasons-title" style={{ marginTop: 0 }}>
          Why this verdict
        </h2>
        {c.reasons.length === 0 ? (
          <p data-testid="reasons">No signal fired: nothing about this click looked automated or anonymised.</p>
        ) : (
          <ul data-testid="reasons">
            {c.reasons.map((r, i) => (
              <li key={i}>
                <strong>{r.type}</strong>: {r.message}
              </li>
            ))}
          </ul>
        )}
      </section>
      <ClickBeacon click={c} />
      <section className="panel">
        <dl className="facts">{facts.map(([k, v]) => [<dt key={`${k}-t`}>{k}</dt>, <dd key={`${k}-d`}>{v}</dd>])}</dl>
      </section>
    </>
  );
}
