import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, errorMessage, rateLimitStore } from '../api/client';
import { API_KEY_SCOPES, type ApiKeyScope } from '../api/enums';
import { CopyButton, Empty, ErrorBox, Loading, StatusBadge, when } from '../ui';
import { Can, CanCall } from '../can';
import { PasswordChange } from './PasswordChange';

const EVENTS = ['conversion.created', 'conversion.updated', 'click.flagged', 'fraud.alert', 'report.ready'] as const;
type EventType = (typeof EVENTS)[number];

function Secret({ title, value, onDone }: { title: string; value: string; onDone: () => void }) {
  return (
    <div className="secret" role="alert">
      <strong>{title}</strong> It is shown only this once: copy it now.
      <div className="copyline">
        <code data-testid="secret">{value}</code>
        <CopyButton text={value} />
      </div>
      <button type="button" className="secondary small" onClick={onDone}>
        I have stored it
      </button>
    </div>
  );
}

export function Settings() {
  return (
    <>
      <h1>Settings</h1>
      <Account />
      <PasswordChange />
      <ApiKeys />
      <CanCall route="GET /api/v1/webhooks">
        <Webhooks />
      </CanCall>
    </>
  );
}

function Account() {
  const account = useQuery({ queryKey: ['account'], queryFn: () => call(api.GET('/api/v1/account', {})) });
  const rate = useSyncExternalStore(rateLimitStore.subscribe, rateLimitStore.get);
  const [token, setToken] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const createToken = useMutation({
    mutationFn: () => call(api.POST('/api/v1/account/postback-token', {})),
    onSuccess: (result) => {
      setToken(result.data.postback_token);
      void queryClient.invalidateQueries({ queryKey: ['account'] });
    },
  });
  const removeToken = useMutation({
    mutationFn: () => call(api.DELETE('/api/v1/account/postback-token', {})),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['account'] }),
  });
  if (account.isPending) return <Loading />;
  if (account.isError) return <ErrorBox error={account.error} />;
  const a = account.data.data;
  return (
    <section className="panel" aria-labelledby="account-title">
      <h2 id="account-title" style={{ marginTop: 0 }}>
        Account and plan
      </h2>
      <dl className="facts">
        <dt>Email</dt>
        <dd>{a.email}</dd>
        <dt>Plan</dt>
        <dd>{a.plan}</dd>
        <dt>Plan limits</dt>
        <dd>
          {a.rate_limits.per_minute} requests/minute,{' '}
          {a.rate_limits.per_day === null ? 'no daily limit' : `${a.rate_limits.per_day.toLocaleString()} requests/day`}
        </dd>
        <dt>Current use</dt>
        <dd data-testid="rate-limit">
          {rate
            ? `${rate.remaining} of ${rate.limit} left in this window (resets ${new Date(rate.reset * 1000).toLocaleTimeString()})`
            : 'unknown yet'}
        </dd>
        <dt>Member since</dt>
        <dd>{when(a.created_at)}</dd>
      </dl>
      <h3>Postback token</h3>
      <p className="hint">
        With a token set, postbacks must carry <code>&token=…</code>; without one, anyone who knows a click id can post
        a conversion for it.
      </p>
      {token && <Secret title="Your postback token." value={token} onDone={() => setToken(null)} />}
      <Can permission="settings:write">
        <>
          <div className="row">
            <button
              type="button"
              className="secondary"
              onClick={() => createToken.mutate()}
              disabled={createToken.isPending}
            >
              {a.postback_token_required ? 'Replace the token' : 'Require a token'}
            </button>
            {a.postback_token_required && (
              <button
                type="button"
                className="danger"
                onClick={() => window.confirm('Stop requiring a postback token?') && removeToken.mutate()}
              >
                Remove the token
              </button>
            )}
          </div>
          {(createToken.isError || removeToken.isError) && (
            <div className="error" role="alert">
              {errorMessage(createToken.error ?? removeToken.error)}
            </div>
          )}
          <PostbackAddresses current={a.postback_allowed_ips} />
        </>
      </Can>
    </section>
  );
}

/** The account's postback_allowed_ips: a leaked click id or even token is useless from any other address. */
function PostbackAddresses({ current }: { current: string[] }) {
  const [text, setText] = useState(current.join('\n'));
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () =>
      call(
        api.PUT('/api/v1/account', {
          body: {
            postback_allowed_ips: text
              .split(/[\s,]+/)
              .map((entry) => entry.trim())
              .filter(Boolean),
          },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['account'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <h3>Postback addresses</h3>
      <label htmlFor="postback-ips" className="hint">
        Accept postbacks only from these IPs or CIDR ranges (your networks' postback servers), one a line; empty accepts
        any address.
      </label>
      <textarea id="postback-ips" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      <div className="row">
        <button type="submit" className="secondary" disabled={save.isPending}>
          Save addresses
        </button>
      </div>
      {save.isError && (
        <div className="error" role="alert">
          {errorMessage(save.error)}
        </div>
      )}
    </form>
  );
}

function ApiKeys() {
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => call(api.GET('/api/v1/api-keys', {})) });
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ApiKeyScope>('read');
  const [secret, setSecret] = useState<{ key: string; secret: string } | null>(null);
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: () =>
      call(api.POST('/api/v1/api-keys', { body: { scope, ...(name.trim() ? { name: name.trim() } : {}) } })),
    onSuccess: (result) => {
      setSecret({ key: result.data.api_key, secret: result.data.api_secret });
      setName('');
      void queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: number) => call(api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section className="panel" aria-labelledby="keys-title">
      <h2 id="keys-title" style={{ marginTop: 0 }}>
        API keys
      </h2>
      <form className="row" onSubmit={submit}>
        <div className="field">
          <label htmlFor="key-name">Name</label>
          <input
            id="key-name"
            maxLength={100}
            placeholder="Reporting script"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="key-scope">Scope</label>
          <select id="key-scope" value={scope} onChange={(e) => setScope(e.target.value as ApiKeyScope)}>
            {API_KEY_SCOPES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <button type="submit" disabled={create.isPending}>
            Generate API key
          </button>
        </div>
      </form>
      {create.isError && (
        <div className="error" role="alert">
          {errorMessage(create.error)}
        </div>
      )}
      {secret && (
        <>
          <p>
            API key: <code data-testid="api-key">{secret.key}</code> <CopyButton text={secret.key} />
          </p>
          <Secret title="Your API secret." value={secret.secret} onDone={() => setSecret(null)} />
        </>
      )}
      {keys.isPending && <Loading />}
      {keys.isError && <ErrorBox error={keys.error} />}
      {keys.data && keys.data.data.length === 0 && (
        <p className="muted">
          No API keys. Generate one for scripts: they exchange key and secret for a token at POST /api/v1/auth/token.
        </p>
      )}
      {keys.data && keys.data.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Scope</th>
                <th className="hide-phone">Last used</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {keys.data.data.map((key) => (
                <tr key={key.id}>
                  <td>{key.name}</td>
                  <td className="mono">{key.api_key}</td>
                  <td>{key.scope}</td>
                  <td className="hide-phone">{key.last_used_at ? when(key.last_used_at) : 'never'}</td>
                  <td>
                    <button
                      type="button"
                      className="danger small"
                      disabled={revoke.isPending}
                      onClick={() =>
                        window.confirm(`Revoke “${key.name}”? Its tokens stop working at once.`) &&
                        revoke.mutate(key.id)
                      }
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Webhooks() {
  const hooks = useQuery({
    queryKey: ['webhooks'],
    queryFn: () => call(api.GET('/api/v1/webhooks', { params: { query: { per_page: 100 } } })),
  });
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<EventType[]>([
    'conversion.created',
    'conversion.updated',
    'fraud.alert',
    'report.ready',
  ]);
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: () => call(api.POST('/api/v1/webhooks', { body: { url, events } })),
    onSuccess: (result) => {
      setSecret(result.data.secret);
      setUrl('');
      void queryClient.invalidateQueries({ queryKey: ['webhooks'] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => call(api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['webhooks'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section className="panel" aria-labelledby="hooks-title">
      <h2 id="hooks-title" style={{ marginTop: 0 }}>
        Webhooks
      </h2>
      <Can permission="settings:write">
        <form onSubmit={submit}>
          <div className="field">
            <label htmlFor="hook-url">Endpoint URL</label>
            <input
              id="hook-url"
              type="url"
              required
              placeholder="https://your-host.example/cloakradar"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
            />
          </div>
          <fieldset>
            <legend>Events</legend>
            {EVENTS.map((type) => (
              <label key={type} className="check">
                <input
                  type="checkbox"
                  checked={events.includes(type)}
                  onChange={() =>
                    setEvents(events.includes(type) ? events.filter((e) => e !== type) : [...events, type])
                  }
                />
                {type}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={create.isPending || events.length === 0}>
            Add webhook
          </button>
        </form>
      </Can>
      {create.isError && (
        <div className="error" role="alert">
          {errorMessage(create.error)}
        </div>
      )}
      {secret && (
        <Secret title="The signing secret (X-CloakRadar-Signature)." value={secret} onDone={() => setSecret(null)} />
      )}
      {hooks.isError && <ErrorBox error={hooks.error} />}
      {hooks.data && hooks.data.data.length === 0 && (
        <Empty title="No webhooks">
          Add an endpoint to be told about conversions, flagged clicks, fraud alerts and ready reports.
        </Empty>
      )}
      {hooks.data?.data.map((hook) => (
        <div key={hook.id} className="panel">
          <div className="spread">
            <div>
              <code>{hook.url}</code> {hook.active ? <StatusBadge status="active" /> : <StatusBadge status="failed" />}
              <div className="hint">
                {hook.events.join(', ')}
                {hook.disabled_reason ? ` · disabled: ${hook.disabled_reason}` : ''}
              </div>
            </div>
            <div className="row">
              <button
                type="button"
                className="secondary small"
                aria-expanded={open === hook.id}
                onClick={() => setOpen(open === hook.id ? null : hook.id)}
              >
                Deliveries
              </button>
              <Can permission="settings:write">
                <button
                  type="button"
                  className="danger small"
                  onClick={() => window.confirm('Delete this webhook?') && remove.mutate(hook.id)}
                >
                  Delete
                </button>
              </Can>
            </div>
          </div>
          {open === hook.id && <Deliveries id={hook.id} />}
        </div>
      ))}
    </section>
  );
}

function Deliveries({ id }: { id: number }) {
  const deliveries = useQuery({
    queryKey: ['webhooks', id, 'deliveries'],
    queryFn: () => call(api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id } } })),
  });
  if (deliveries.isPending) return <Loading />;
  if (deliveries.isError) return <ErrorBox error={deliveries.error} />;
  if (deliveries.data.data.length === 0) return <p className="muted">No deliveries yet.</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Event</th>
            <th>Status</th>
            <th className="num">Attempts</th>
            <th>Last answer</th>
            <th className="hide-phone">Next try</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.data.data.map((d) => (
            <tr key={d.id}>
              <td>
                {d.event_type}
                <div className="hint">{when(d.created_at)}</div>
              </td>
              <td>
                <StatusBadge status={d.status} />
              </td>
              <td className="num">{d.attempt_count}</td>
              <td>
                {d.last_status_code ?? '—'} {d.last_error ?? ''}
                {d.last_latency_ms !== null ? ` · ${d.last_latency_ms} ms` : ''}
              </td>
              <td className="hide-phone">{d.next_attempt_at ? when(d.next_attempt_at) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
