import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type PostbackTestResult, type TrafficSource } from '../api/client';
import { POSTBACK_LOG_STATUS_LABELS } from '../api/enums';
import { previewPostback, unknownMacros } from '../postback-preview';
import { Empty, ErrorBox, Loading, Pager, StatusBadge, when } from '../ui';

const LOG_PER_PAGE = 20;

/** The URL the network would receive for a template, refreshed as the user types. */
export function PostbackPreview({ template }: { template: string }) {
  if (template.trim() === '') return null;
  const unknown = unknownMacros(template);
  return (
    <div className="hint">
      Preview with sample values (the ones &quot;Send test&quot; uses):{' '}
      <code data-testid="postback-preview">{previewPostback(template.trim())}</code>
      {unknown.length > 0 && (
        <div role="note">
          Unknown {unknown.length === 1 ? 'macro' : 'macros'} {unknown.map((name) => `{${name}}`).join(', ')}: sent
          empty.
        </div>
      )}
    </div>
  );
}

/** The source's postback URL: edit it with a live preview, save it, and call it once with sample values. */
export function PostbackEditor({ source }: { source: TrafficSource }) {
  const saved = source.postback_url ?? '';
  const [draft, setDraft] = useState(saved);
  const [result, setResult] = useState<PostbackTestResult | null>(null);
  const queryClient = useQueryClient();
  const dirty = draft.trim() !== saved;
  const save = useMutation({
    mutationFn: () =>
      call(
        api.PUT('/api/v1/traffic-sources/{id}', {
          params: { path: { id: source.id } },
          body: { postback_url: draft.trim() === '' ? null : draft.trim() },
        }),
      ),
    onSuccess: (answer) => {
      setDraft(answer.data.postback_url ?? '');
      queryClient.setQueryData(['traffic-source', source.id], answer);
      void queryClient.invalidateQueries({ queryKey: ['traffic-sources'] });
    },
  });
  const test = useMutation({
    mutationFn: () =>
      call(api.POST('/api/v1/traffic-sources/{id}/postbacks/test', { params: { path: { id: source.id } } })),
    onMutate: () => setResult(null),
    onSuccess: (answer) => setResult(answer.data),
  });

  return (
    <section className="panel" aria-labelledby="postback-title">
      <h2 id="postback-title" style={{ marginTop: 0 }}>
        Postback to the network
      </h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <div className="field">
          <label htmlFor="postback-template">Postback URL</label>
          <input
            id="postback-template"
            type="url"
            maxLength={2048}
            placeholder="https://network.example/postback?clickid={external_id}&payout={payout}"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
          <PostbackPreview template={draft} />
        </div>
        <p className="hint">
          Sent for conversions in {source.postback_statuses.join(', ')}
          {source.postback_fraudulent
            ? ', fraudulent clicks included'
            : '; conversions of fraudulent clicks are withheld'}
          .
        </p>
        <div className="row">
          <button type="submit" disabled={!dirty || save.isPending}>
            Save postback URL
          </button>
          <button
            type="button"
            className="secondary"
            disabled={dirty || saved === '' || test.isPending}
            onClick={() => test.mutate()}
          >
            {test.isPending ? 'Sending…' : 'Send test'}
          </button>
          {dirty && <span className="hint">Save to test the new URL.</span>}
        </div>
      </form>
      {save.isError && <ErrorBox error={save.error} />}
      {test.isError && <ErrorBox error={test.error} />}
      {result && <TestAnswer result={result} />}
    </section>
  );
}

/** The network's answer to the test call: status and latency, the start of its answer, or why none came. */
function TestAnswer({ result }: { result: PostbackTestResult }) {
  return (
    <div className={result.delivered ? 'success' : 'error'} role="status" data-testid="postback-test-result">
      <dl className="facts">
        <dt>Result</dt>
        <dd>
          {result.delivered ? 'Delivered' : 'Not delivered'}
          {result.status_code !== null ? ` · HTTP ${result.status_code}` : ''} · {result.latency_ms} ms
        </dd>
        <dt>URL called</dt>
        <dd>
          <code>{result.url}</code>
        </dd>
        {result.response_excerpt !== null && (
          <>
            <dt>Answer</dt>
            <dd>
              <code>{result.response_excerpt}</code>
            </dd>
          </>
        )}
        {result.error !== null && (
          <>
            <dt>Error</dt>
            <dd>{result.error}</dd>
          </>
        )}
      </dl>
    </div>
  );
}

/** Every decision about a conversion of this source's clicks: sent, pending, failed, or withheld and why. */
export function PostbackLog({ sourceId }: { sourceId: number }) {
  const [page, setPage] = useState(1);
  const log = useQuery({
    queryKey: ['traffic-source', sourceId, 'postbacks', page],
    queryFn: () =>
      call(
        api.GET('/api/v1/traffic-sources/{id}/postbacks', {
          params: { path: { id: sourceId }, query: { page, per_page: LOG_PER_PAGE } },
        }),
      ),
    // Deliveries move on their own (retries, a worker's poll): keep the log fresh while it is open.
    refetchInterval: 5_000,
  });
  return (
    <section className="panel" aria-labelledby="postback-log-title">
      <div className="spread">
        <h2 id="postback-log-title" style={{ margin: 0 }}>
          Delivery log
        </h2>
        <button type="button" className="secondary small" onClick={() => void log.refetch()}>
          Refresh
        </button>
      </div>
      {log.isPending && <Loading what="Loading the delivery log" />}
      {log.isError && <ErrorBox error={log.error} retry={() => void log.refetch()} />}
      {log.data && log.data.data.length === 0 && (
        <Empty title="No postbacks yet">
          Each conversion of this source&apos;s clicks is listed here: sent to the network, or withheld and why.
        </Empty>
      )}
      {log.data && log.data.data.length > 0 && (
        <div className="table-wrap">
          <table data-testid="postback-log">
            <thead>
              <tr>
                <th>Time</th>
                <th>Status</th>
                <th className="num">Attempts</th>
                <th className="num">Code</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {log.data.data.map((entry) => (
                <tr key={entry.id}>
                  <td>{when(entry.created_at)}</td>
                  <td title={POSTBACK_LOG_STATUS_LABELS[entry.status]}>
                    <StatusBadge status={entry.status} />
                  </td>
                  <td className="num">{entry.attempts}</td>
                  <td className="num">{entry.last_status_code ?? '—'}</td>
                  <td>
                    {entry.reason && <div>{entry.reason}</div>}
                    {entry.last_error && <div className="hint">{entry.last_error}</div>}
                    {entry.status === 'pending' && entry.next_attempt_at && (
                      <div className="hint">next attempt {when(entry.next_attempt_at)}</div>
                    )}
                    <code className="hint">{entry.url}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} perPage={LOG_PER_PAGE} total={log.data.meta.total} onPage={setPage} />
        </div>
      )}
    </section>
  );
}
