import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, errorMessage, type Offer } from '../api/client';
import { OFFER_STATUSES, type OfferStatus } from '../api/enums';
import { Empty, ErrorBox, Loading, StatusBadge, money } from '../ui';
import { DeleteError } from './DeleteError';
import { CanCall } from '../can';

interface FormState {
  name: string;
  url: string;
  payout: string;
  affiliate_network: string;
  status: OfferStatus;
}

const EMPTY: FormState = { name: '', url: '', payout: '0', affiliate_network: '', status: 'active' };

/** The offers a campaign's flow sends visitors to: their URL (with macros) and the payout a postback without one earns. */
export function Offers() {
  const offers = useQuery({
    queryKey: ['offers'],
    queryFn: () => call(api.GET('/api/v1/offers', { params: { query: { per_page: 100 } } })),
  });
  const [state, setState] = useState<FormState>(EMPTY);
  const [editing, setEditing] = useState<number | null>(null);
  const queryClient = useQueryClient();
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setState((s) => ({ ...s, [key]: value }));

  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: state.name.trim(),
        url: state.url.trim(),
        payout: Number(state.payout || 0),
        affiliate_network: state.affiliate_network.trim() || null,
        status: state.status,
      };
      return editing === null
        ? call(api.POST('/api/v1/offers', { body }))
        : call(api.PUT('/api/v1/offers/{id}', { params: { path: { id: editing } }, body }));
    },
    onSuccess: () => {
      setState(EMPTY);
      setEditing(null);
      void queryClient.invalidateQueries({ queryKey: ['offers'] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => call(api.DELETE('/api/v1/offers/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['offers'] }),
  });
  const edit = (offer: Offer) => {
    setEditing(offer.id);
    setState({
      name: offer.name,
      url: offer.url,
      payout: String(offer.payout),
      affiliate_network: offer.affiliate_network ?? '',
      status: offer.status,
    });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <>
      <h1>Offers</h1>
      <CanCall route="POST /api/v1/offers">
        <section className="panel" aria-labelledby="offer-form-title">
          <h2 id="offer-form-title" style={{ marginTop: 0 }}>
            {editing === null ? 'New offer' : 'Edit offer'}
          </h2>
          <form onSubmit={submit}>
            <div className="row">
              <div className="field">
                <label htmlFor="offer-name">Offer name</label>
                <input
                  id="offer-name"
                  required
                  maxLength={200}
                  value={state.name}
                  onChange={(e) => set('name', e.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor="offer-network">Affiliate network</label>
                <input
                  id="offer-network"
                  maxLength={200}
                  value={state.affiliate_network}
                  onChange={(e) => set('affiliate_network', e.target.value)}
                />
              </div>
            </div>
            <div className="field">
              <label htmlFor="offer-url">
                Offer URL{' '}
                <span className="hint">
                  macros as in a destination: {'{clickid}'} {'{country}'} {'{sub1}'}…
                </span>
              </label>
              <input
                id="offer-url"
                required
                type="url"
                placeholder="https://network.example/offer?aff_sub={clickid}"
                value={state.url}
                onChange={(e) => set('url', e.target.value)}
              />
            </div>
            <div className="row">
              <div className="field">
                <label htmlFor="offer-payout">
                  Payout <span className="hint">used when a postback comes without one</span>
                </label>
                <input
                  id="offer-payout"
                  type="number"
                  min={0}
                  step="0.01"
                  value={state.payout}
                  onChange={(e) => set('payout', e.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor="offer-status">Status</label>
                <select
                  id="offer-status"
                  value={state.status}
                  onChange={(e) => set('status', e.target.value as OfferStatus)}
                >
                  {OFFER_STATUSES.map((status) => (
                    <option key={status} value={status}>
                      {status}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <div className="row">
              <button type="submit" disabled={save.isPending}>
                {editing === null ? 'Add offer' : 'Save offer'}
              </button>
              {editing !== null && (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => {
                    setEditing(null);
                    setState(EMPTY);
                  }}
                >
                  Cancel
                </button>
              )}
            </div>
          </form>
          {save.isError && (
            <div className="error" role="alert">
              {errorMessage(save.error)}
            </div>
          )}
        </section>
      </CanCall>
      {remove.isError && <DeleteError error={remove.error} what="offer" />}
      {offers.isPending && <Loading />}
      {offers.isError && <ErrorBox error={offers.error} retry={() => void offers.refetch()} />}
      {offers.data && offers.data.data.length === 0 && (
        <Empty title="No offers yet">
          Add the offers you promote; a campaign&apos;s flow splits its visitors between them.
        </Empty>
      )}
      {offers.data && offers.data.data.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Offers">
            <thead>
              <tr>
                <th>Name</th>
                <th className="hide-phone">URL</th>
                <th className="num">Payout</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {offers.data.data.map((offer) => (
                <tr key={offer.id} data-testid={`offer-${offer.id}`}>
                  <td>
                    {offer.name}
                    {offer.affiliate_network && <div className="hint">{offer.affiliate_network}</div>}
                  </td>
                  <td className="mono hide-phone">{offer.url}</td>
                  <td className="num">{money(offer.payout)}</td>
                  <td>
                    <StatusBadge status={offer.status} />
                  </td>
                  <td>
                    <CanCall route="PUT /api/v1/offers/:id">
                      <div className="row">
                        <button type="button" className="secondary small" onClick={() => edit(offer)}>
                          Edit
                        </button>
                        <button
                          type="button"
                          className="danger small"
                          disabled={remove.isPending}
                          onClick={() => window.confirm(`Delete the offer “${offer.name}”?`) && remove.mutate(offer.id)}
                        >
                          Delete
                        </button>
                      </div>
                    </CanCall>
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
