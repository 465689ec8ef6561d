import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, errorMessage, type Lander } from '../api/client';
import { Empty, ErrorBox, Loading } from '../ui';
import { DeleteError } from './DeleteError';
import { CanCall } from '../can';

interface FormState {
  name: string;
  url: string;
  offers_count: string;
}

const EMPTY: FormState = { name: '', url: '', offers_count: '1' };

/** Pre-landers a flow's path can send visitors through before the offer. */
export function Landers() {
  const landers = useQuery({
    queryKey: ['landers'],
    queryFn: () => call(api.GET('/api/v1/landers', { params: { query: { per_page: 100 } } })),
  });
  const [state, setState] = useState<FormState>(EMPTY);
  const [editing, setEditing] = useState<number | null>(null);
  const queryClient = useQueryClient();
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setState((s) => ({ ...s, [key]: value }));

  const save = useMutation({
    mutationFn: () => {
      const body = { name: state.name.trim(), url: state.url.trim(), offers_count: Number(state.offers_count || 1) };
      return editing === null
        ? call(api.POST('/api/v1/landers', { body }))
        : call(api.PUT('/api/v1/landers/{id}', { params: { path: { id: editing } }, body }));
    },
    onSuccess: () => {
      setState(EMPTY);
      setEditing(null);
      void queryClient.invalidateQueries({ queryKey: ['landers'] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => call(api.DELETE('/api/v1/landers/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['landers'] }),
  });
  const edit = (lander: Lander) => {
    setEditing(lander.id);
    setState({ name: lander.name, url: lander.url, offers_count: String(lander.offers_count) });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <>
      <h1>Landers</h1>
      <CanCall route="POST /api/v1/landers">
        <section className="panel" aria-labelledby="lander-form-title">
          <h2 id="lander-form-title" style={{ marginTop: 0 }}>
            {editing === null ? 'New lander' : 'Edit lander'}
          </h2>
          <form onSubmit={submit}>
            <div className="field">
              <label htmlFor="lander-name">Lander name</label>
              <input
                id="lander-name"
                required
                maxLength={200}
                value={state.name}
                onChange={(e) => set('name', e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="lander-url">
                Lander URL <span className="hint">the page receives the click id: add {'{clickid}'}</span>
              </label>
              <input
                id="lander-url"
                required
                type="url"
                placeholder="https://pages.example/review?cid={clickid}"
                value={state.url}
                onChange={(e) => set('url', e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="lander-offers-count">
                Offer links <span className="hint">how many offer links the page has</span>
              </label>
              <input
                id="lander-offers-count"
                type="number"
                min={1}
                max={20}
                value={state.offers_count}
                onChange={(e) => set('offers_count', e.target.value)}
              />
            </div>
            <p className="hint">
              The page&apos;s call to action links to <code>{'<tracking domain>/lp/{clickid}'}</code> (or{' '}
              <code>{'…/lp/{clickid}/2'}</code> for its second offer link): the tracker records the click-through and
              sends the visitor on to the offer the flow chose.
            </p>
            <div className="row">
              <button type="submit" disabled={save.isPending}>
                {editing === null ? 'Add lander' : 'Save lander'}
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
      {remove.isError && <DeleteError error={remove.error} what="lander" />}
      {landers.isPending && <Loading />}
      {landers.isError && <ErrorBox error={landers.error} retry={() => void landers.refetch()} />}
      {landers.data && landers.data.data.length === 0 && (
        <Empty title="No landers yet">
          A lander is a page shown before the offer (a review, a quiz); a flow&apos;s path can go through one.
        </Empty>
      )}
      {landers.data && landers.data.data.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Landers">
            <thead>
              <tr>
                <th>Name</th>
                <th className="hide-phone">URL</th>
                <th className="num">Offer links</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {landers.data.data.map((lander) => (
                <tr key={lander.id} data-testid={`lander-${lander.id}`}>
                  <td>{lander.name}</td>
                  <td className="mono hide-phone">{lander.url}</td>
                  <td className="num">{lander.offers_count}</td>
                  <td>
                    <CanCall route="PUT /api/v1/landers/:id">
                      <div className="row">
                        <button type="button" className="secondary small" onClick={() => edit(lander)}>
                          Edit
                        </button>
                        <button
                          type="button"
                          className="danger small"
                          disabled={remove.isPending}
                          onClick={() =>
                            window.confirm(`Delete the lander “${lander.name}”?`) && remove.mutate(lander.id)
                          }
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
