import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, errorMessage } from '../api/client';
import { ROLES, type Role } from '../api/enums';
import { useCan, useMe } from '../api/me';
import { CopyButton, ErrorBox, Loading, StatusBadge } from '../ui';
import { CampaignPicker, useCampaignNames } from '../campaign-picker';

const LIMITABLE: ReadonlySet<Role> = new Set(['manager', 'viewer']);

/** The picked campaigns as the API takes them: none picked is every campaign (null). */
const limitOf = (ids: readonly number[]): number[] | null => (ids.length > 0 ? [...ids] : null);

const fetchMembers = async () => (await call(api.GET('/api/v1/members', {}))).data;
type MemberData = Awaited<ReturnType<typeof fetchMembers>>[number];

export function Members() {
  const members = useQuery({ queryKey: ['members'], queryFn: fetchMembers });
  const canManage = useCan('members:write');
  const me = useMe();
  return (
    <>
      <h1>Members</h1>
      {canManage && <Invite />}
      {members.isPending && <Loading what="Loading members" />}
      {members.isError && <ErrorBox error={members.error} retry={() => void members.refetch()} />}
      {members.data && (
        <table aria-label="Members">
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              <th>Campaigns</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {members.data.map((member) => (
              <MemberRow key={member.id} member={member} editable={canManage && member.id !== me.data?.id} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function MemberRow({ member, editable }: { member: MemberData; editable: boolean }) {
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>(member.role);
  const [campaigns, setCampaigns] = useState<number[]>(member.campaign_ids ?? []);
  const [error, setError] = useState<string | null>(null);
  const nameOf = useCampaignNames();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['members'] });
  const save = useMutation({
    mutationFn: () =>
      call(
        api.PATCH('/api/v1/members/{id}', {
          params: { path: { id: member.id } },
          body: { role, campaign_ids: LIMITABLE.has(role) ? limitOf(campaigns) : null },
        }),
      ),
    onSuccess: () => {
      setError(null);
      void refresh();
    },
    onError: (caught) => setError(errorMessage(caught)),
  });
  const remove = useMutation({
    mutationFn: () => call(api.DELETE('/api/v1/members/{id}', { params: { path: { id: member.id } } })),
    onSuccess: () => void refresh(),
    onError: (caught) => setError(errorMessage(caught)),
  });
  const label = `${member.email}`;
  return (
    <tr>
      <td>{member.email}</td>
      <td>
        {editable ? (
          <select aria-label={`Role of ${label}`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        ) : (
          member.role
        )}
      </td>
      <td>
        {editable && LIMITABLE.has(role) ? (
          <CampaignPicker legend={`Campaigns of ${label}`} selected={campaigns} onChange={setCampaigns} />
        ) : member.campaign_ids ? (
          member.campaign_ids.map(nameOf).join(', ')
        ) : (
          'all'
        )}
      </td>
      <td>
        <StatusBadge status={member.status} />
      </td>
      <td>
        {editable && (
          <>
            <button type="button" className="secondary small" disabled={save.isPending} onClick={() => save.mutate()}>
              Save
            </button>{' '}
            <button
              type="button"
              className="danger small"
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm(`Remove ${member.email}? Their sessions and API keys stop working at once.`))
                  remove.mutate();
              }}
            >
              Remove
            </button>
          </>
        )}
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
      </td>
    </tr>
  );
}

function Invite() {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [campaigns, setCampaigns] = useState<number[]>([]);
  const [link, setLink] = useState<string | null>(null);
  const invite = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/members', {
          body: { email, role, ...(LIMITABLE.has(role) ? { campaign_ids: limitOf(campaigns) } : {}) },
        }),
      ),
    onSuccess: (result) => {
      setLink(result.data.invitation_url);
      setEmail('');
      setCampaigns([]);
      void queryClient.invalidateQueries({ queryKey: ['members'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };
  return (
    <section className="panel" aria-label="Invite a member">
      {link && (
        <div className="secret" role="alert">
          <strong>Invitation link.</strong> It is shown only this once and works once, for 7 days: send it now.
          <div className="copyline">
            <code data-testid="invitation-link">{link}</code>
            <CopyButton text={link} />
          </div>
          <button type="button" className="secondary small" onClick={() => setLink(null)}>
            Done
          </button>
        </div>
      )}
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="invite-email">Email</label>
          <input id="invite-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        {LIMITABLE.has(role) && <CampaignPicker legend="Campaigns" selected={campaigns} onChange={setCampaigns} />}
        {invite.isError && (
          <div className="error" role="alert">
            {errorMessage(invite.error)}
          </div>
        )}
        <button type="submit" disabled={invite.isPending}>
          Invite
        </button>
      </form>
    </section>
  );
}
