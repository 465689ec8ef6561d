import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, downloadFile, errorMessage, type FraudReport } from '../api/client';
import { AD_PLATFORM_LABELS, optionsOf, type AdPlatform } from '../api/enums';
import { BarList, DateRangeFields, Empty, ErrorBox, Loading, StatusBadge, isoDay, money, percent, when } from '../ui';
import { useCampaignOptions } from '../campaign-options';
import { Can } from '../can';

export function Fraud() {
  const campaigns = useCampaignOptions();
  const [campaignId, setCampaignId] = useState('');
  const [form, setForm] = useState({ from: isoDay(29), to: isoDay(), platform: 'google' as AdPlatform });
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const selected = campaignId ? Number(campaignId) : campaigns.data?.data[0]?.id;
  const range = { from: form.from, to: form.to };
  const stats = useQuery({
    queryKey: ['fraud-stats', selected ?? 'all', range.from, range.to],
    queryFn: () =>
      call(
        api.GET('/api/v2/fraud/stats', {
          params: { query: { ...range, ...(selected ? { campaign_id: selected } : {}) } },
        }),
      ),
  });
  const reports = useQuery({
    queryKey: ['fraud-reports'],
    queryFn: () => call(api.GET('/api/v2/fraud/reports', { params: { query: { per_page: 20 } } })),
    // Watch a report become ready.
    refetchInterval: (query) => (query.state.data?.data.some((r) => r.status === 'processing') ? 1000 : false),
  });
  const create = useMutation({
    mutationFn: () =>
      call(api.POST('/api/v2/fraud/report', { body: { campaign_id: selected!, ...range, platform: form.platform } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['fraud-reports'] }),
  });
  const download = (report: FraudReport, kind: 'csv' | 'ip') => {
    setDownloadError(null);
    const path =
      kind === 'csv'
        ? `/api/v2/fraud/report/${report.id}/csv`
        : `/api/v2/fraud/report/${report.id}/ip-exclusions?format=text`;
    const name = kind === 'csv' ? `fraud-report-${report.id}.csv` : `ip-exclusions-${report.id}.txt`;
    downloadFile(path, name).catch((error: unknown) => setDownloadError(errorMessage(error)));
  };
  const names = new Map(campaigns.data?.data.map((c) => [c.id, c.name]));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  if (campaigns.isPending) return <Loading />;
  if (campaigns.isError) return <ErrorBox error={campaigns.error} />;
  if (campaigns.data.data.length === 0)
    return (
      <>
        <h1>Fraud</h1>
        <Empty title="No campaigns yet">
          Create a campaign first; its fraud figures and refund reports appear here.
        </Empty>
      </>
    );
  const s = stats.data?.data;
  return (
    <>
      <h1>Fraud</h1>
      <Can permission="campaigns:write">
        <form className="panel" onSubmit={submit} aria-label="Fraud report">
          <div className="row">
            <div className="field">
              <label htmlFor="fr-campaign">Campaign</label>
              <select id="fr-campaign" value={selected ?? ''} onChange={(e) => setCampaignId(e.target.value)}>
                {campaigns.data.data.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <DateRangeFields idPrefix="fr" range={form} onChange={(range) => setForm({ ...form, ...range })} />
            <div className="field">
              <label htmlFor="fr-platform">Ad platform</label>
              <select
                id="fr-platform"
                value={form.platform}
                onChange={(e) => setForm({ ...form, platform: e.target.value as AdPlatform })}
              >
                {optionsOf(AD_PLATFORM_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <button type="submit" disabled={create.isPending || !selected}>
                Generate report
              </button>
            </div>
          </div>
          {create.isError && (
            <div className="error" role="alert">
              {errorMessage(create.error)}
            </div>
          )}
        </form>
      </Can>
      <h2>Fraud in this range</h2>
      {stats.isError && <ErrorBox error={stats.error} />}
      {s ? (
        <div className="grid2">
          <div className="panel">
            <p>
              <strong>{percent(s.fraud_rate)}</strong> fraudulent: {s.fraudulent_clicks.toLocaleString()} of{' '}
              {s.total_clicks.toLocaleString()} clicks.
            </p>
            <p>
              Estimated savings: <strong>{money(s.estimated_savings)}</strong>
            </p>
          </div>
          <div className="panel">
            <BarList
              label="Fraud by type"
              rows={Object.entries(s.fraud_by_type)
                .map(([name, value]) => ({ name, value }))
                .filter((r) => r.value > 0)}
            />
          </div>
        </div>
      ) : (
        !stats.isError && <Loading />
      )}
      <h2>Reports</h2>
      {downloadError && (
        <div className="error" role="alert">
          {downloadError}
        </div>
      )}
      {reports.isError && <ErrorBox error={reports.error} />}
      {reports.data && reports.data.data.length === 0 && (
        <Empty title="No reports yet">
          Generate one above: a CSV of every fraudulent click for your refund claim, and for Google Ads an IP exclusion
          list.
        </Empty>
      )}
      {reports.data && reports.data.data.length > 0 && (
        <div className="panel table-wrap">
          <table>
            <thead>
              <tr>
                <th>Created</th>
                <th>Campaign</th>
                <th>Platform</th>
                <th>Range</th>
                <th>Status</th>
                <th className="num">Fraudulent</th>
                <th>Download</th>
              </tr>
            </thead>
            <tbody>
              {reports.data.data.map((r) => (
                <tr key={r.id} data-testid={`report-${r.id}`}>
                  <td>{when(r.created_at)}</td>
                  <td>{names.get(r.campaign_id) ?? r.campaign_id}</td>
                  <td>{r.platform}</td>
                  <td>
                    {r.from} – {r.to}
                  </td>
                  <td>
                    <StatusBadge status={r.status} />
                    {r.error && <span className="hint"> {r.error}</span>}
                  </td>
                  <td className="num">
                    {r.summary ? `${r.summary.fraudulent_clicks} (${percent(r.summary.fraud_rate)})` : '—'}
                  </td>
                  <td>
                    {r.status === 'ready' && (
                      <div className="row">
                        <button type="button" className="secondary small" onClick={() => download(r, 'csv')}>
                          CSV
                        </button>
                        {r.platform === 'google' && (
                          <button type="button" className="secondary small" onClick={() => download(r, 'ip')}>
                            IP exclusions
                          </button>
                        )}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
