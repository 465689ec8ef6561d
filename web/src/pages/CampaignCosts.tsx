import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { DateRangeFields, Empty, ErrorBox, isoDay, money, when } from '../ui';

/**
 * The campaign's real spend from the network's dashboard: a range of whole UTC days and its total. Those
 * days' cost replaces the modelled and per-click cost, so every figure on the page is refreshed after a save.
 */
export function CampaignCosts({ campaignId }: { campaignId: number }) {
  const [form, setForm] = useState({ from: isoDay(6), to: isoDay(), amount: '' });
  const queryClient = useQueryClient();
  const ranges = useQuery({
    queryKey: ['campaign', campaignId, 'costs'],
    queryFn: () => call(api.GET('/api/v1/campaigns/{id}/costs', { params: { path: { id: campaignId } } })),
  });
  const save = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/campaigns/{id}/costs', {
          params: { path: { id: campaignId } },
          body: { from: form.from, to: form.to, amount: Number(form.amount) },
        }),
      ),
    onSuccess: () => {
      setForm((current) => ({ ...current, amount: '' }));
      // Stats, analytics and fraud savings of the campaign all read the new days (and the account's totals).
      void queryClient.invalidateQueries({ queryKey: ['campaign', campaignId] });
      void queryClient.invalidateQueries({ queryKey: ['fraud-stats'] });
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <section className="panel" aria-labelledby="costs-title">
      <h2 id="costs-title" style={{ marginTop: 0 }}>
        Cost from the network
      </h2>
      <p className="hint">
        Enter what the network charged for a range of days (UTC, both included): it is spread evenly over them and
        replaces the campaign&apos;s cost model and per-click prices for those days. A later range replaces an earlier
        one where they overlap.
      </p>
      <form onSubmit={submit} className="row">
        <DateRangeFields idPrefix="cost" range={form} onChange={(range) => setForm({ ...form, ...range })} required />
        <div className="field">
          <label htmlFor="cost-amount">Amount spent</label>
          <input
            id="cost-amount"
            type="number"
            required
            min={0}
            step="0.01"
            value={form.amount}
            onChange={(e) => setForm({ ...form, amount: e.target.value })}
          />
        </div>
        <div className="field">
          <button type="submit" disabled={save.isPending}>
            Set cost
          </button>
        </div>
      </form>
      {save.isError && <ErrorBox error={save.error} />}
      {ranges.isError && <ErrorBox error={ranges.error} />}
      {ranges.data && ranges.data.data.length === 0 && (
        <Empty title="No cost ranges set">
          Cost follows the campaign&apos;s model and the clicks&apos; own prices.
        </Empty>
      )}
      {ranges.data && ranges.data.data.length > 0 && (
        <div className="table-wrap">
          <table data-testid="cost-ranges">
            <thead>
              <tr>
                <th>Days</th>
                <th className="num">Amount</th>
                <th className="hide-phone">Set as</th>
                <th className="hide-phone">Set</th>
              </tr>
            </thead>
            <tbody>
              {ranges.data.data.map((range) => (
                <tr key={`${range.from}-${range.set_at}`}>
                  <td>
                    {range.from === range.to ? range.from : `${range.from} – ${range.to}`}
                    <span className="hint"> · {range.days === 1 ? '1 day' : `${range.days} days`}</span>
                  </td>
                  <td className="num">{money(range.amount)}</td>
                  <td className="hide-phone hint">
                    {range.set_as.from} – {range.set_as.to}: {money(range.set_as.amount)}
                  </td>
                  <td className="hide-phone hint">{when(range.set_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
