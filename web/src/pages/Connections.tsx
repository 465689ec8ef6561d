import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { Empty, ErrorBox, Loading, StatusBadge, when } from '../ui';

type Platform = 'google' | 'meta';

const SECRET_FIELDS: Record<Platform, Array<[string, string]>> = {
  google: [
    ['client_id', 'OAuth client ID'],
    ['client_secret', 'OAuth client secret'],
    ['refresh_token', 'Refresh token'],
    ['developer_token', 'Developer token'],
  ],
  meta: [['access_token', 'Conversions API access token']],
};

const SETTING_FIELDS: Record<Platform, Array<[string, string]>> = {
  google: [
    ['customer_id', 'Customer id (123-456-7890)'],
    ['login_customer_id', 'Manager account id (optional)'],
    ['conversion_action_id', 'Conversion action id'],
  ],
  meta: [
    ['pixel_id', 'Pixel (dataset) id'],
    ['test_event_code', 'Test event code (optional)'],
  ],
};

/** Connect an account: the secrets go to the server once and are never shown again. */
function ConnectForm() {
  const [platform, setPlatform] = useState<Platform>('google');
  const [values, setValues] = useState<Record<string, string>>({ name: '', currency: 'USD' });
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: () => {
      const credentials = Object.fromEntries(SECRET_FIELDS[platform].map(([key]) => [key, values[key] ?? '']));
      const settings = Object.fromEntries(
        SETTING_FIELDS[platform].flatMap(([key]) => (values[key] ? [[key, values[key]]] : [])),
      );
      return call(
        api.POST('/api/v1/connections', {
          body: { platform, name: values.name ?? '', currency: values.currency || 'USD', ...settings, credentials },
        }),
      );
    },
    onSuccess: async () => {
      setValues({ name: '', currency: 'USD' });
      await queryClient.invalidateQueries({ queryKey: ['connections'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const field = (key: string, label: string, secret = false) => (
    <div className="field" key={key}>
      <label htmlFor={`connection-${key}`}>{label}</label>
      <input
        id={`connection-${key}`}
        type={secret ? 'password' : 'text'}
        autoComplete="off"
        value={values[key] ?? ''}
        onChange={(e) => setValues((current) => ({ ...current, [key]: e.target.value }))}
      />
    </div>
  );
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="connect-title">
      <h2 id="connect-title" style={{ marginTop: 0 }}>
        Connect an account
      </h2>
      <div className="field">
        <label htmlFor="connection-platform">Platform</label>
        <select id="connection-platform" value={platform} onChange={(e) => setPlatform(e.target.value as Platform)}>
          <option value="google">Google Ads</option>
          <option value="meta">Meta (Conversions API)</option>
        </select>
      </div>
      {field('name', 'Name')}
      {SETTING_FIELDS[platform].map(([key, label]) => field(key, label))}
      {field('currency', 'Currency of conversion values')}
      {SECRET_FIELDS[platform].map(([key, label]) => field(key, label, true))}
      <p className="hint">Secrets are stored encrypted and never shown again. The README walks through getting them.</p>
      {create.isError && <ErrorBox error={create.error} />}
      <button type="submit" disabled={create.isPending}>
        Connect
      </button>
    </form>
  );
}

/** Each call to the platform: what was sent, the answer, what changed. */
function ConnectionLog({ id }: { id: number }) {
  const log = useQuery({
    queryKey: ['connection-log', id],
    queryFn: () => call(api.GET('/api/v1/connections/{id}/log', { params: { path: { id }, query: { per_page: 20 } } })),
  });
  if (log.isPending) return <Loading what="Loading the log" />;
  if (log.isError) return <ErrorBox error={log.error} />;
  if (log.data.data.length === 0) return <p className="hint">No calls yet.</p>;
  return (
    <table aria-label="Connection log">
      <thead>
        <tr>
          <th>When</th>
          <th>Action</th>
          <th>Outcome</th>
          <th>Message</th>
        </tr>
      </thead>
      <tbody>
        {log.data.data.map((line) => (
          <tr key={line.id}>
            <td>{when(line.at)}</td>
            <td>{line.action}</td>
            <td>
              <StatusBadge status={line.outcome} />
            </td>
            <td>{line.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Connections() {
  const [open, setOpen] = useState<number | null>(null);
  const [tested, setTested] = useState<Record<number, string>>({});
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['connections'],
    queryFn: () => call(api.GET('/api/v1/connections', { params: { query: { per_page: 100 } } })),
  });
  const test = useMutation({
    mutationFn: (id: number) => call(api.POST('/api/v1/connections/{id}/test', { params: { path: { id } } })),
    onSuccess: async (answer, id) => {
      setTested((current) => ({ ...current, [id]: answer.data.message }));
      await queryClient.invalidateQueries({ queryKey: ['connections'] });
      await queryClient.invalidateQueries({ queryKey: ['connection-log', id] });
    },
  });
  return (
    <>
      <h1>Connections</h1>
      <p className="hint">
        Google Ads receives your campaigns&apos; IP exclusions and offline conversions; Meta receives Conversions API
        events. Only counted, non-suspicious conversions are sent.
      </p>
      {list.isPending && <Loading what="Loading connections" />}
      {list.isError && <ErrorBox error={list.error} />}
      {list.data && list.data.data.length === 0 && <Empty title="No connections yet" />}
      {list.data?.data.map((connection) => (
        <section className="panel" key={connection.id} aria-label={connection.name}>
          <h2 style={{ marginTop: 0 }}>
            {connection.name} <span className="hint">{connection.platform}</span>{' '}
            <StatusBadge status={connection.status} />
          </h2>
          {connection.last_error && <p role="alert">{connection.last_error}</p>}
          {tested[connection.id] && <p role="status">{tested[connection.id]}</p>}
          {/* The request itself failing (rate limit, network) is not the platform's answer: show it too. */}
          {test.isError && test.variables === connection.id && <ErrorBox error={test.error} />}
          <button
            type="button"
            className="secondary small"
            disabled={test.isPending && test.variables === connection.id}
            onClick={() => test.mutate(connection.id)}
          >
            Test
          </button>{' '}
          <button
            type="button"
            className="secondary small"
            onClick={() => setOpen(open === connection.id ? null : connection.id)}
          >
            {open === connection.id ? 'Hide log' : 'Show log'}
          </button>
          {open === connection.id && <ConnectionLog id={connection.id} />}
        </section>
      ))}
      <ConnectForm />
    </>
  );
}
