import { useState, type FormEvent } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { AUDIT_ACTIONS, AUDIT_RESOURCES, type AuditAction, type AuditResource } from '../api/enums';
import { ErrorBox, Loading } from '../ui';

interface Filters {
  member_id?: number;
  resource_type?: AuditResource;
  resource_id?: number;
  action?: AuditAction;
  from?: string;
  to?: string;
}

const fetchPage = async (filters: Filters, cursor: number | undefined) =>
  call(api.GET('/api/v1/audit-log', { params: { query: { ...filters, cursor, per_page: 50 } } }));
type Entry = Awaited<ReturnType<typeof fetchPage>>['data'][number];

const show = (value: unknown) => (value === null || value === undefined ? '—' : JSON.stringify(value));

/** Who created, changed or deleted what (owner and admin): filters above, each entry's fields before → after. */
export function AuditLog() {
  const [filters, setFilters] = useState<Filters>({});
  const members = useQuery({
    queryKey: ['members'],
    queryFn: async () => (await call(api.GET('/api/v1/members', {}))).data,
  });
  const log = useInfiniteQuery({
    queryKey: ['audit-log', filters],
    queryFn: ({ pageParam }) => fetchPage(filters, pageParam),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.meta.next_cursor ?? undefined,
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const number = (name: string) => (text(name) === undefined ? undefined : Number(text(name)));
    setFilters({
      member_id: number('member_id'),
      resource_type: text('resource_type') as AuditResource | undefined,
      resource_id: number('resource_id'),
      action: text('action') as AuditAction | undefined,
      from: text('from'),
      to: text('to'),
    });
  };
  const entries = log.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <>
      <h1>Audit log</h1>
      <form className="filters" onSubmit={submit} aria-label="Audit log filters">
        <label>
          Member
          <select name="member_id" defaultValue="">
            <option value="">Everyone</option>
            {members.data?.map((member) => (
              <option key={member.id} value={member.id}>
                {member.email}
              </option>
            ))}
          </select>
        </label>
        <label>
          Resource
          <select name="resource_type" defaultValue="">
            <option value="">Any</option>
            {AUDIT_RESOURCES.map((resource) => (
              <option key={resource} value={resource}>
                {resource.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          Resource id
          <input name="resource_id" type="number" min={1} />
        </label>
        <label>
          Action
          <select name="action" defaultValue="">
            <option value="">Any</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input name="from" type="date" />
        </label>
        <label>
          To
          <input name="to" type="date" />
        </label>
        <button type="submit">Filter</button>
      </form>
      {log.isPending && <Loading what="Loading the audit log" />}
      {log.isError && <ErrorBox error={log.error} retry={() => void log.refetch()} />}
      {log.data && entries.length === 0 && <p>Nothing recorded for these filters.</p>}
      {entries.length > 0 && (
        <table aria-label="Audit log">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th>What</th>
              <th>Changes</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <EntryRow key={entry.id} entry={entry} />
            ))}
          </tbody>
        </table>
      )}
      {log.hasNextPage && (
        <button type="button" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          Older entries
        </button>
      )}
    </>
  );
}

function EntryRow({ entry }: { entry: Entry }) {
  const who = entry.actor.email ?? 'system';
  return (
    <tr>
      <td>{new Date(entry.created_at).toLocaleString()}</td>
      <td>
        {who}
        {entry.actor.api_key_id !== null && ` (API key ${entry.actor.api_key_id})`}
      </td>
      <td>{entry.action}</td>
      <td>
        {entry.resource_type.replace(/_/g, ' ')}
        {entry.resource_id !== null && ` #${entry.resource_id}`}
      </td>
      <td>
        <dl className="audit-changes">
          {Object.entries(entry.changes).map(([field, change]) => (
            <div key={field}>
              <dt>{field}</dt>
              <dd>
                <del>{show(change.before)}</del> → <ins>{show(change.after)}</ins>
              </dd>
            </div>
          ))}
        </dl>
      </td>
    </tr>
  );
}
