import { useState } from 'react';
import { Link } from 'wouter';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, errorMessage, type Campaign } from '../api/client';
import {
  CopyButton,
  Empty,
  ErrorBox,
  Loading,
  Pager,
  SortHeader,
  StatusBadge,
  isoDay,
  percent,
  type SortState,
} from '../ui';
import { Can, CanCall } from '../can';

const PER_PAGE = 20;
type SortKey = 'name' | 'clicks_today' | 'conversions_today' | 'fraud_rate' | 'status';

export function Campaigns() {
  const [page, setPage] = useState(1);
  const [sort, setSort] = useState<SortState<SortKey>>({ key: 'name', desc: false });
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['campaigns', page],
    queryFn: () => call(api.GET('/api/v1/campaigns', { params: { query: { page, per_page: PER_PAGE } } })),
  });
  const update = useMutation({
    mutationFn: ({ id, status }: { id: number; status: 'active' | 'paused' }) =>
      call(api.PUT('/api/v1/campaigns/{id}', { params: { path: { id } }, body: { status } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['campaigns'] }),
  });
  const remove = useMutation({
    mutationFn: (id: number) => call(api.DELETE('/api/v1/campaigns/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['campaigns'] }),
  });

  // Today's fraud rate, asked only for the campaigns of this page that had clicks today.
  const today = isoDay();
  const campaigns = list.data?.data ?? [];
  const fraud = useQueries({
    queries: campaigns.map((campaign) => ({
      queryKey: ['fraud-stats', campaign.id, today, today],
      queryFn: () =>
        call(
          api.GET('/api/v2/fraud/stats', { params: { query: { campaign_id: campaign.id, from: today, to: today } } }),
        ),
      enabled: campaign.clicks_today > 0,
      staleTime: 60_000,
    })),
  });
  const rates = new Map(campaigns.map((campaign, i) => [campaign.id, fraud[i]?.data?.data.fraud_rate]));
  const rateCell = (campaign: Campaign) => {
    if (campaign.clicks_today === 0) return '—';
    const rate = rates.get(campaign.id);
    return rate === undefined ? '…' : percent(rate);
  };

  const sortBy = (key: SortKey) =>
    setSort((current) => ({ key, desc: current.key === key ? !current.desc : key !== 'name' && key !== 'status' }));
  const header = (key: SortKey, label: string, numeric = false) => (
    <SortHeader column={key} label={label} sort={sort} onSort={sortBy} numeric={numeric} />
  );

  const rows = [...campaigns].sort((a, b) => {
    const value = (c: Campaign): string | number => (sort.key === 'fraud_rate' ? (rates.get(c.id) ?? -1) : c[sort.key]);
    const [x, y] = [value(a), value(b)];
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sort.desc ? -order : order;
  });

  return (
    <>
      <div className="spread">
        <h1>Campaigns</h1>
        <CanCall route="POST /api/v1/campaigns">
          <Link href="/campaigns/new" className="button">
            New campaign
          </Link>
        </CanCall>
      </div>
      {list.isPending && <Loading what="Loading campaigns" />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {(update.isError || remove.isError) && (
        <div className="error" role="alert">
          {errorMessage(update.error ?? remove.error)}
        </div>
      )}
      {list.data && list.data.data.length === 0 && (
        <Empty title="No campaigns yet">
          Create a campaign, then point your ad at its tracking URL. Clicks show up here as they come in.{' '}
          <CanCall route="POST /api/v1/campaigns">
            <Link href="/campaigns/new">Create your first campaign</Link>
          </CanCall>
        </Empty>
      )}
      {rows.length > 0 && (
        <div className="panel table-wrap">
          <table>
            <caption className="muted" style={{ textAlign: 'left' }}>
              Today's numbers (UTC day). Sort by a column heading.
            </caption>
            <thead>
              <tr>
                {header('name', 'Name')}
                {header('clicks_today', 'Clicks', true)}
                {header('conversions_today', 'Conv.', true)}
                {header('fraud_rate', 'Fraud', true)}
                {header('status', 'Status')}
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((campaign) => (
                <tr key={campaign.id}>
                  <td>
                    <Link href={`/campaigns/${campaign.id}`}>{campaign.name}</Link>
                  </td>
                  <td className="num">{campaign.clicks_today.toLocaleString()}</td>
                  <td className="num">{campaign.conversions_today.toLocaleString()}</td>
                  <td className="num">{rateCell(campaign)}</td>
                  <td>
                    <StatusBadge status={campaign.status} />
                  </td>
                  <td>
                    <div className="row">
                      <CopyButton text={campaign.tracking_url} label="Copy URL" />
                      <Can permission="campaigns:write">
                        <>
                          <Link href={`/campaigns/${campaign.id}/edit`} className="button secondary small">
                            Edit
                          </Link>
                          {campaign.status !== 'inactive' && (
                            <button
                              type="button"
                              className="secondary small"
                              disabled={update.isPending}
                              onClick={() =>
                                update.mutate({
                                  id: campaign.id,
                                  status: campaign.status === 'active' ? 'paused' : 'active',
                                })
                              }
                            >
                              {campaign.status === 'active' ? 'Pause' : 'Resume'}
                            </button>
                          )}
                          <button
                            type="button"
                            className="danger small"
                            disabled={remove.isPending}
                            onClick={() =>
                              window.confirm(`Delete “${campaign.name}”? Its tracking URL stops working at once.`) &&
                              remove.mutate(campaign.id)
                            }
                          >
                            Delete
                          </button>
                        </>
                      </Can>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} perPage={PER_PAGE} total={list.data?.meta.total ?? 0} onPage={setPage} />
        </div>
      )}
    </>
  );
}
