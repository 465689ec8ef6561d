import type { Db } from '../../storage/database.ts';
import type { EventBus } from '../../events.ts';
import { authorizationError, conflict, notFound, validationError } from '../../errors.ts';
import type { Role } from './account.enums.ts';
import { normalizeEmail } from './account.ts';
import { revokeMemberApiKeys } from './api-key.repository.ts';
import { isCommonPassword } from './common-passwords.ts';
import { generateInvitationToken, hashInvitationToken, INVITATION_LIFETIME_MS } from './invitation-token.ts';
import {
  countOwners,
  deleteMember,
  findMember,
  findMemberByEmail,
  findMemberByInvitation,
  insertMember,
  listMembers,
  updateMember,
} from './member.repository.ts';
import { toMember, type Member } from './member.ts';
import { auditedCreate, auditedUpdate } from '../audit/audited.ts';
import { writeAudit } from '../audit/audit.writer.ts';
import { runAsActor } from '../audit/audit-context.ts';
import type { MemberRow, MemberUpdate } from './member.table.ts';
import { LIMITABLE_ROLES, roleRank } from './roles.ts';
import { hashSecret } from './secret-hash.ts';
import { findUserByEmail, findUserById } from './user.repository.ts';
import type { Principal } from './account.service.ts';

export interface MemberServiceDeps {
  db: Db;
  now?: () => number;
  /** Where a removal or a change of rights is announced, so the member's open live feeds close on every node. */
  events?: EventBus;
  /** The ids among `ids` that are not campaigns of the workspace (deleted ones count as not). */
  unknownCampaigns: (userId: number, ids: readonly number[]) => Promise<number[]>;
  /** Where the dashboard is served: the invitation link is built on it. */
  publicUrl: string;
}

export interface Invitation {
  member: Member;
  /** Shown once: only its hash is stored. */
  invitation_token: string;
  invitation_url: string;
  expires_at: string;
}

export interface MemberChanges {
  role?: Role;
  campaign_ids?: number[] | null;
}

/** The caller's own member row; what they may do is added by the http layer, which owns the route policy. */
export interface Me extends Member {
  api_key_id: number | null;
}

export function createMemberService(deps: MemberServiceDeps) {
  const { db, events } = deps;
  const now = deps.now ?? Date.now;

  const accountEmail = async (userId: number): Promise<string> => (await findUserById(db, userId))?.email ?? '';

  /** A limit applies to managers and viewers only, and names the workspace's campaigns only. */
  const checkCampaignIds = async (userId: number, role: Role, ids: number[] | null | undefined) => {
    if (ids === undefined || ids === null) return;
    if (!LIMITABLE_ROLES.has(role)) {
      throw validationError(
        'campaign_ids',
        `An ${role} sees every campaign: campaign_ids applies to managers and viewers`,
      );
    }
    const unknown = await deps.unknownCampaigns(userId, ids);
    if (unknown.length > 0) {
      throw validationError('campaign_ids', `Campaign ${unknown[0]} is not a campaign of this workspace`);
    }
  };

  /** Nobody hands out more than they hold, nor acts on someone who holds more (an admin on an owner). */
  const checkRank = (actor: Principal, target: MemberRow | null, role: Role | undefined) => {
    if (target && roleRank(target.role) < roleRank(actor.role)) {
      throw authorizationError(`An ${actor.role} cannot change or remove an ${target.role}`);
    }
    if (role !== undefined && roleRank(role) < roleRank(actor.role)) {
      throw authorizationError(`An ${actor.role} cannot grant the ${role} role`);
    }
  };

  /** A workspace keeps an owner: the registrant, whose login is the account's, stays one. */
  const checkKeepsOwner = async (target: MemberRow, leaving: boolean) => {
    if (target.role !== 'owner' || !leaving) return;
    if ((await countOwners(db, target.user_id)) <= 1) {
      throw conflict('A workspace keeps at least one owner: make another member owner first');
    }
    if (target.email === null) {
      throw authorizationError("The registering owner's login is the account's own: it cannot be removed or demoted");
    }
  };

  const getOrThrow = async (userId: number, id: number): Promise<MemberRow> => {
    const row = await findMember(db, userId, id);
    if (!row) throw notFound('Member');
    return row;
  };

  const announce = (userId: number, memberId: number) =>
    events?.emit('credentials.revoked', { userId, apiKeyId: null, memberId });

  return {
    async list(userId: number): Promise<Member[]> {
      const email = await accountEmail(userId);
      return (await listMembers(db, userId)).map((row) => toMember(row, email));
    },

    async me(principal: Principal): Promise<Me> {
      const row = await getOrThrow(principal.userId, principal.memberId);
      return {
        ...toMember(row, await accountEmail(principal.userId)),
        api_key_id: principal.apiKeyId,
      };
    },

    async invite(
      actor: Principal,
      input: { email: string; role: Role; campaign_ids?: number[] | null },
    ): Promise<Invitation> {
      const { userId } = actor;
      const email = normalizeEmail(input.email);
      checkRank(actor, null, input.role);
      const member = await findMemberByEmail(db, email);
      const account = await findUserByEmail(db, email);
      if ((member && member.user_id === userId) || account?.id === userId) {
        throw conflict(`${email} is already a member of this workspace`, { email: ['Already a member'] });
      }
      if (member || account) {
        throw conflict(`${email} already signs in to another workspace: invite another address`, {
          email: ['Already registered'],
        });
      }
      await checkCampaignIds(userId, input.role, input.campaign_ids);
      const token = generateInvitationToken();
      const at = now();
      const expiresAt = at + INVITATION_LIFETIME_MS;
      const row = await auditedCreate(db, userId, 'member', (trx) =>
        insertMember(trx, {
          user_id: userId,
          email,
          password_hash: null,
          role: input.role,
          campaign_ids: input.campaign_ids ? JSON.stringify([...new Set(input.campaign_ids)]) : null,
          invitation_hash: hashInvitationToken(token),
          invitation_expires_at: expiresAt,
          accepted_at: null,
          created_at: at,
          updated_at: at,
        }),
      );
      return {
        member: toMember(row, email),
        invitation_token: token,
        // In the fragment: a browser never sends it to the server, so no access log holds it.
        invitation_url: `${deps.publicUrl}/accept-invitation#token=${token}`,
        expires_at: new Date(expiresAt).toISOString(),
      };
    },

    /** Sets the invited member's password; the link works once and until it expires. */
    async accept(token: string, password: string): Promise<Member> {
      const row = await findMemberByInvitation(db, hashInvitationToken(token));
      if (!row) throw validationError('token', 'This invitation is unknown or was withdrawn');
      if (row.accepted_at !== null) throw conflict('This invitation was already used: sign in instead');
      if ((row.invitation_expires_at ?? 0) <= now()) {
        throw validationError('token', 'This invitation expired: ask for a new one');
      }
      if (isCommonPassword(password)) {
        throw validationError(
          'password',
          'This password is one of the 10,000 most common ones, which are guessed first; choose another',
        );
      }
      const at = now();
      const passwordHash = await hashSecret(password);
      // Audited as the member's own act (the request carries no token to name them), in the same transaction.
      const updated = await runAsActor({ memberId: row.id, email: row.email ?? '', apiKeyId: null }, () =>
        db.transaction().execute(async (trx) => {
          const after = await trx
            .updateTable('members')
            .set({ password_hash: passwordHash, accepted_at: at, updated_at: at })
            .where('id', '=', row.id)
            // Two requests with the same link: only the first sets the password.
            .where('accepted_at', 'is', null)
            .returningAll()
            .executeTakeFirst();
          if (after) {
            await writeAudit(trx, {
              userId: row.user_id,
              action: 'update',
              resourceType: 'member',
              resourceId: row.id,
              before: row,
              after,
            });
          }
          return after;
        }),
      );
      if (!updated) throw conflict('This invitation was already used: sign in instead');
      return toMember(updated, updated.email ?? '');
    },

    async update(actor: Principal, id: number, changes: MemberChanges): Promise<Member> {
      const { userId } = actor;
      const target = await getOrThrow(userId, id);
      checkRank(actor, target, changes.role);
      const role = changes.role ?? target.role;
      if (roleRank(role) > roleRank(target.role)) await checkKeepsOwner(target, true);
      await checkCampaignIds(userId, role, changes.campaign_ids);
      const update: MemberUpdate = { updated_at: now() };
      if (changes.role !== undefined) update.role = changes.role;
      if (changes.campaign_ids !== undefined) {
        update.campaign_ids = changes.campaign_ids === null ? null : JSON.stringify([...new Set(changes.campaign_ids)]);
      }
      // An owner or admin sees every campaign: a limit left from an earlier role would mislead.
      if (!LIMITABLE_ROLES.has(role)) update.campaign_ids = null;
      const row = await auditedUpdate(
        db,
        userId,
        'member',
        (trx) => findMember(trx, userId, id),
        (trx) => updateMember(trx, userId, id, update),
      );
      if (!row) throw notFound('Member');
      // Requests read the role afresh; a live feed opened under the old rights closes (on every node).
      announce(userId, id);
      return toMember(row, await accountEmail(userId));
    },

    /** The member's tokens and API keys stop working at once: the row is gone, and the keys are revoked. */
    async remove(actor: Principal, id: number): Promise<void> {
      const { userId } = actor;
      const target = await getOrThrow(userId, id);
      checkRank(actor, target, undefined);
      await checkKeepsOwner(target, true);
      await db.transaction().execute(async (trx) => {
        await revokeMemberApiKeys(trx, userId, id, now());
        await deleteMember(trx, userId, id);
        await writeAudit(trx, {
          userId,
          action: 'delete',
          resourceType: 'member',
          resourceId: id,
          before: target,
          after: null,
        });
      });
      announce(userId, id);
    },
  };
}

export type MemberService = ReturnType<typeof createMemberService>;
