import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, errorMessage, type TrafficSource } from '../api/client';
import {
  CONVERSION_STATUSES,
  SOURCE_PLATFORM_LABELS,
  optionsOf,
  type ConversionStatus,
  type SourcePlatform,
} from '../api/enums';
import { Empty, ErrorBox, Loading } from '../ui';
import { PostbackPreview } from './SourcePostbacks';
import { CanCall } from '../can';

interface FormState {
  template: string;
  name: string;
  platform: SourcePlatform;
  click_id_param: string;
  cost_param: string;
  placement_param: string;
  postback_url: string;
  postback_statuses: ConversionStatus[];
  postback_fraudulent: boolean;
}

const EMPTY: FormState = {
  template: '',
  name: '',
  platform: 'other',
  click_id_param: '',
  cost_param: '',
  placement_param: '',
  postback_url: '',
  postback_statuses: ['approved'],
  postback_fraudulent: false,
};

const blankToNull = (value: string) => (value.trim() === '' ? null : value.trim());

export function TrafficSources() {
  const sources = useQuery({
    queryKey: ['traffic-sources'],
    queryFn: () => call(api.GET('/api/v1/traffic-sources', { params: { query: { per_page: 100 } } })),
  });
  const templates = useQuery({
    queryKey: ['traffic-source-templates'],
    queryFn: () => call(api.GET('/api/v1/traffic-source-templates', {})),
    staleTime: Infinity,
  });
  const [state, setState] = useState<FormState>(EMPTY);
  const [editing, setEditing] = useState<number | null>(null);
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setState((s) => ({ ...s, [key]: value }));

  // Choosing a template fills the form with the network's parameters; the user can still change any of them.
  const pickTemplate = (id: string) => {
    const template = templates.data?.data.find((t) => t.id === id);
    if (!template) return set('template', '');
    setState((s) => ({
      ...s,
      template: id,
      name: s.name || template.name,
      platform: template.platform,
      click_id_param: template.click_id_param,
      cost_param: template.cost_param ?? '',
      placement_param: template.placement_param ?? '',
      postback_url: template.postback_url ?? '',
    }));
  };

  const fields = () => ({
    name: state.name,
    platform: state.platform,
    ...(state.click_id_param.trim() ? { click_id_param: state.click_id_param.trim() } : {}),
    cost_param: blankToNull(state.cost_param),
    placement_param: blankToNull(state.placement_param),
    postback_url: blankToNull(state.postback_url),
    postback_statuses: state.postback_statuses,
    postback_fraudulent: state.postback_fraudulent,
  });
  const save = useMutation({
    mutationFn: () =>
      editing === null
        ? call(
            api.POST('/api/v1/traffic-sources', {
              body: {
                ...fields(),
                ...(state.template ? { template: state.template as NonNullable<TrafficSource['template']> } : {}),
              },
            }),
          )
        : call(api.PUT('/api/v1/traffic-sources/{id}', { params: { path: { id: editing } }, body: fields() })),
    onSuccess: (answer) => {
      const created = editing === null;
      setState(EMPTY);
      setEditing(null);
      void queryClient.invalidateQueries({ queryKey: ['traffic-sources'] });
      void queryClient.invalidateQueries({ queryKey: ['traffic-source', answer.data.id] });
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      // A new source's page says what comes next: the URL to paste, the postback test, its log.
      if (created) navigate(`/traffic-sources/${answer.data.id}`);
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => call(api.DELETE('/api/v1/traffic-sources/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['traffic-sources'] }),
  });
  const edit = (source: TrafficSource) => {
    setEditing(source.id);
    setState({
      template: source.template ?? '',
      name: source.name,
      platform: source.platform,
      click_id_param: source.click_id_param,
      cost_param: source.cost_param ?? '',
      placement_param: source.placement_param ?? '',
      postback_url: source.postback_url ?? '',
      postback_statuses: source.postback_statuses,
      postback_fraudulent: source.postback_fraudulent,
    });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const toggleStatus = (status: ConversionStatus) =>
    set(
      'postback_statuses',
      state.postback_statuses.includes(status)
        ? state.postback_statuses.filter((s) => s !== status)
        : [...state.postback_statuses, status],
    );

  return (
    <>
      <h1>Traffic sources</h1>
      <CanCall route="POST /api/v1/traffic-sources">
        <section className="panel" aria-labelledby="source-form-title">
          <h2 id="source-form-title" style={{ marginTop: 0 }}>
            {editing === null ? 'New traffic source' : 'Edit traffic source'}
          </h2>
          <form onSubmit={submit}>
            {editing === null && (
              <div className="field">
                <label htmlFor="source-template">Start from a network template</label>
                <select id="source-template" value={state.template} onChange={(e) => pickTemplate(e.target.value)}>
                  <option value="">None: fill in the parameters yourself</option>
                  {templates.data?.data.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name} ({t.kind})
                    </option>
                  ))}
                </select>
              </div>
            )}
            <div className="field">
              <label htmlFor="source-name">Name</label>
              <input
                id="source-name"
                required
                maxLength={200}
                value={state.name}
                onChange={(e) => set('name', e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="source-platform">Platform</label>
              <select
                id="source-platform"
                value={state.platform}
                onChange={(e) => set('platform', e.target.value as SourcePlatform)}
              >
                {optionsOf(SOURCE_PLATFORM_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="source-click-id">Click-id parameter</label>
              <input
                id="source-click-id"
                placeholder="the platform's own (gclid, fbclid, …)"
                value={state.click_id_param}
                onChange={(e) => set('click_id_param', e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="source-cost">Cost parameter</label>
              <input
                id="source-cost"
                placeholder="cost"
                value={state.cost_param}
                onChange={(e) => set('cost_param', e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="source-placement">Placement parameter</label>
              <input
                id="source-placement"
                placeholder="zone"
                value={state.placement_param}
                onChange={(e) => set('placement_param', e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="source-postback">Postback URL</label>
              <input
                id="source-postback"
                type="url"
                placeholder="https://network.example/postback?clickid={external_id}&payout={payout}"
                value={state.postback_url}
                onChange={(e) => set('postback_url', e.target.value)}
              />
              <PostbackPreview template={state.postback_url} />
              <p className="hint">
                Macros: <code>{'{external_id}'}</code> (the network&apos;s click id), <code>{'{payout}'}</code>,{' '}
                <code>{'{status}'}</code>, <code>{'{txid}'}</code>, <code>{'{event}'}</code>,{' '}
                <code>{'{click_id}'}</code>, <code>{'{campaign_id}'}</code>, <code>{'{placement}'}</code>,{' '}
                <code>{'{country}'}</code>, <code>{'{sub1}'}</code>…<code>{'{sub10}'}</code>. Replace the parts in
                capitals with your account&apos;s.
              </p>
            </div>
            <fieldset>
              <legend>Conversion statuses reported to the network</legend>
              {CONVERSION_STATUSES.map((status) => (
                <label key={status} className="check">
                  <input
                    type="checkbox"
                    checked={state.postback_statuses.includes(status)}
                    onChange={() => toggleStatus(status)}
                  />
                  {status}
                </label>
              ))}
            </fieldset>
            <label className="check">
              <input
                type="checkbox"
                checked={state.postback_fraudulent}
                onChange={(e) => set('postback_fraudulent', e.target.checked)}
              />
              Also report conversions of fraudulent clicks (off: the network&apos;s bidding does not learn from fraud)
            </label>
            <div className="row">
              <button type="submit" disabled={save.isPending || state.postback_statuses.length === 0}>
                {editing === null ? 'Add traffic source' : 'Save'}
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
      {sources.isPending && <Loading />}
      {sources.isError && <ErrorBox error={sources.error} retry={() => void sources.refetch()} />}
      {sources.data && sources.data.data.length === 0 && (
        <Empty title="No traffic sources">
          Add the networks you buy from; a campaign with a source records the network&apos;s click id and placement.
        </Empty>
      )}
      {sources.data && sources.data.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Parameters</th>
                <th className="hide-phone">Postback</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {sources.data.data.map((source) => (
                <tr key={source.id}>
                  <td>
                    <Link href={`/traffic-sources/${source.id}`}>{source.name}</Link>
                    <div className="hint">{source.template ?? SOURCE_PLATFORM_LABELS[source.platform]}</div>
                  </td>
                  <td className="mono">
                    {[source.click_id_param, source.cost_param, source.placement_param].filter(Boolean).join(' · ')}
                  </td>
                  <td className="hide-phone">{source.postback_url ? source.postback_statuses.join(', ') : 'none'}</td>
                  <td>
                    <CanCall route="PUT /api/v1/traffic-sources/:id">
                      <div className="row">
                        <button type="button" className="secondary small" onClick={() => edit(source)}>
                          Edit
                        </button>
                        <button
                          type="button"
                          className="danger small"
                          disabled={remove.isPending}
                          onClick={() =>
                            window.confirm(`Delete “${source.name}”? Its campaigns keep running without a source.`) &&
                            remove.mutate(source.id)
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
      {remove.isError && (
        <div className="error" role="alert">
          {errorMessage(remove.error)}
        </div>
      )}
    </>
  );
}
