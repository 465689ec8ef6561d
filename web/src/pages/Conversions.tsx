import { useState } from 'react';
import { Link } from 'wouter';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { CONVERSION_STATUSES, type ConversionStatus } from '../api/enums';
import {
  CopyButton,
  DateRangeFields,
  Empty,
  ErrorBox,
  ExportCsvButton,
  Loading,
  Pager,
  StatusBadge,
  isoDay,
  money,
  searchParamsOf,
  when,
} from '../ui';
import { CampaignFilter, useCampaignOptions } from '../campaign-options';

const PER_PAGE = 50;

/**
 * The server-to-server postback template, with the account's token parameter when it requires one, and
 * what protects it: the click id travels in landing-page URLs, so without a token it is the only secret.
 * `allowRepeats`: the campaign's allow_repeat_conversions, when shown for one campaign.
 */
export function PostbackUrl({ allowRepeats }: { allowRepeats?: boolean } = {}) {
  const account = useQuery({ queryKey: ['account'], queryFn: () => call(api.GET('/api/v1/account', {})) });
  const tokenPart = account.data?.data.postback_token_required ? '&token=YOUR_POSTBACK_TOKEN' : '';
  const allowedIps = account.data?.data.postback_allowed_ips ?? [];
  const url = `${window.location.origin}/api/v1/postback?clickid={clickid}&payout={payout}&txid={txid}${tokenPart}`;
  return (
    <div>
      <label htmlFor="postback-url">
        Postback URL <span className="hint">give it to your affiliate network; it fills in the macros</span>
      </label>
      <div className="copyline">
        <code id="postback-url">{url}</code>
        <CopyButton text={url} />
      </div>
      <p className="hint">
        Optional: <code>&amp;event=NAME</code> (lead, sale, deposit, …) names what converted; a click converts once per
        event.
      </p>
      {tokenPart ? (
        <p className="hint">
          Your account requires its postback token: replace YOUR_POSTBACK_TOKEN (Settings → Postback token). Postbacks
          without it are refused, so a click id alone cannot forge a conversion; keep the token on your network's side
          only.
        </p>
      ) : (
        <p className="hint" role="note" data-testid="postback-unprotected">
          No postback token is required: anyone who sees a click id (it is in your landing page's URL) can call this
          URL. Require a token in Settings → Postback token.
        </p>
      )}
      <p className="hint" data-testid="postback-protection">
        Whatever the token:{' '}
        {allowRepeats
          ? 'this campaign counts every new txid of a click (repeats allowed)'
          : 'a click counts one conversion per event (a new txid for it changes nothing; the same txid updates it)'}
        ; a conversion of a click flagged as fraud (other than a duplicate), one sooner after its click than the
        campaign's minimum time to convert, or a payout over 10× the campaign's typical one is marked suspicious;
        postbacks are rate-limited per click and per address;{' '}
        {allowedIps.length > 0
          ? `only these addresses may send them: ${allowedIps.join(', ')}.`
          : 'any address may send them (Settings → Postback addresses to restrict).'}
      </p>
    </div>
  );
}

export function Conversions() {
  const [page, setPage] = useState(1);
  // Changes apply at once (a page's worth of rows is cheap) and take the list back to its first page.
  const [filter, setFilter] = useState({ campaign_id: '', from: isoDay(29), to: isoDay(), status: '', suspicious: '' });
  const changeFilter = (change: Partial<typeof filter>) => {
    setPage(1);
    setFilter({ ...filter, ...change });
  };
  const campaigns = useCampaignOptions();
  const filterQuery = {
    from: filter.from,
    to: filter.to,
    ...(filter.campaign_id ? { campaign_id: Number(filter.campaign_id) } : {}),
    ...(filter.status ? { status: filter.status as ConversionStatus } : {}),
    ...(filter.suspicious ? { suspicious: filter.suspicious === 'true' } : {}),
  };
  const query = { page, per_page: PER_PAGE, ...filterQuery };
  const conversions = useQuery({
    queryKey: ['conversions', query],
    queryFn: () => call(api.GET('/api/v1/conversions', { params: { query } })),
  });
  const names = new Map(campaigns.data?.data.map((c) => [c.id, c.name]));
  return (
    <>
      <h1>Conversions</h1>
      <div className="panel">
        <PostbackUrl />
        <p className="hint">
          The same URL works for every campaign: the click id says which campaign a conversion belongs to.
        </p>
      </div>
      <div className="panel row" role="group" aria-label="Filters">
        <CampaignFilter
          id="c-campaign"
          value={filter.campaign_id}
          onChange={(campaign_id) => changeFilter({ campaign_id })}
        />
        <DateRangeFields idPrefix="c" range={filter} onChange={changeFilter} required />
        <div className="field">
          <label htmlFor="c-status">Status</label>
          <select id="c-status" value={filter.status} onChange={(e) => changeFilter({ status: e.target.value })}>
            <option value="">all</option>
            {CONVERSION_STATUSES.map((status) => (
              <option key={status}>{status}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="c-suspicious">Suspicious</label>
          <select
            id="c-suspicious"
            value={filter.suspicious}
            onChange={(e) => changeFilter({ suspicious: e.target.value })}
          >
            <option value="">all</option>
            <option value="true">suspicious only</option>
            <option value="false">clean only</option>
          </select>
        </div>
        <ExportCsvButton
          path="/api/v1/conversions"
          query={searchParamsOf({ ...filterQuery, suspicious: filter.suspicious || undefined })}
          filename={`conversions-${filter.from}-${filter.to}.csv`}
        />
      </div>
      {conversions.isPending && <Loading what="Loading conversions" />}
      {conversions.isError && <ErrorBox error={conversions.error} />}
      {conversions.data && conversions.data.data.length === 0 && (
        <Empty title="No conversions match">
          Widen the dates or clear a filter. None at all yet? Set the postback URL above in your affiliate network, or
          record one with POST /api/v1/conversions.
        </Empty>
      )}
      {conversions.data && conversions.data.data.length > 0 && (
        <div className="panel table-wrap">
          <table>
            <thead>
              <tr>
                <th>Time</th>
                <th>Campaign</th>
                <th>Click</th>
                <th>Event</th>
                <th className="num">Payout</th>
                <th>Transaction</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {conversions.data.data.map((c) => (
                <tr key={c.id}>
                  <td>{when(c.created_at)}</td>
                  <td>{names.get(c.campaign_id) ?? c.campaign_id}</td>
                  <td>
                    <Link href={`/clicks/${c.click_id}`}>
                      <code>{c.click_id.slice(0, 12)}…</code>
                    </Link>
                  </td>
                  <td data-testid="conversion-event">{c.event}</td>
                  <td className="num">{money(c.payout)}</td>
                  <td className="mono">{c.transaction_id ?? '—'}</td>
                  <td>
                    <StatusBadge status={c.status} />
                    {c.suspicious && (
                      <>
                        <span
                          className="badge badge-pending"
                          style={{ marginLeft: '0.3rem' }}
                          title={c.suspicious_reasons.join('\n')}
                          data-testid="conversion-suspicious"
                        >
                          suspicious
                        </span>
                        <ul className="hint" data-testid="conversion-suspicious-reasons">
                          {c.suspicious_reasons.map((reason) => (
                            <li key={reason}>{reason}</li>
                          ))}
                        </ul>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} perPage={PER_PAGE} total={conversions.data.meta.total} onPage={setPage} />
        </div>
      )}
    </>
  );
}
