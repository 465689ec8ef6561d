import type { Db } from '../../storage/database.ts';
import type { EventBus } from '../../events.ts';
import { AppError, authenticationError, authorizationError, notFound, validationError } from '../../errors.ts';
import { DUMMY_HASH, hashSecret, verifySecret } from './secret-hash.ts';
import { generatePostbackToken, hashPostbackToken, isPostbackTokenValid } from './postback-token.ts';
import { findUserByEmail, findUserById, insertUser, updateUser } from './user.repository.ts';
import { findActiveApiKeyById, findActiveApiKeyByKey, touchApiKey } from './api-key.repository.ts';
import { findMember, findMemberByEmail, findRegistrant, insertMember, updateMember } from './member.repository.ts';
import { parseCampaignIds, type Actor } from './member.ts';
import type { MemberRow } from './member.table.ts';
import type { Role } from './account.enums.ts';
import { normalizeEmail, parseAddressList, toAccount, type Account } from './account.ts';
import { findIpInList, parseIpRange } from '../../detection/cidr.ts';
import { TOKEN_LIFETIME_SECONDS, type TokenClaims, type TokenSigner } from './token.ts';
import type { Plan, UserRow, UserUpdate } from './user.table.ts';
import type { ApiKeyScope } from './api-key.table.ts';
import { createSignInThrottle, type SignInThrottle } from './sign-in-throttle.ts';
import { isCommonPassword } from './common-passwords.ts';
import { auditedUpdate } from '../audit/audited.ts';

export interface Principal {
  readonly userId: number;
  readonly plan: Plan;
  readonly scope: ApiKeyScope;
  readonly apiKeyId: number | null;
  /** Of the token: what a long-lived connection (the live feed) checks again with resolvePrincipal. */
  readonly credentialsVersion: number;
  /** The member acting (the registrant's own row for their sign-ins and their keys). */
  readonly memberId: number;
  /** The member's role now: a key or token minted before a role change carries the new one at once. */
  readonly role: Role;
  /**
   * The campaigns the caller may see (the allowed campaign ids of ARCHITECTURE.md, "Campaign scope");
   * null: every campaign of the workspace. Every campaign-scoped read takes it.
   */
  readonly campaignIds: readonly number[] | null;
  /** Who acts, for the audit log. */
  readonly actor: Actor;
}

export interface IssuedToken {
  token: string;
  expires_in: number;
}

export type Credentials = { email: string; password: string } | { api_key: string; api_secret: string };

export interface AccountChanges {
  email?: string;
  password?: string;
  current_password?: string;
  postback_allowed_ips?: string[];
}

export interface PasswordChange {
  current_password: string;
  password: string;
}

export interface AccountServiceDeps {
  db: Db;
  tokens: TokenSigner;
  now?: () => number;
  /** Sign-in limits per address and account (shared through Redis on several nodes); one node's memory if absent. */
  signIn?: SignInThrottle;
  /** Where a password change is announced, so the account's open live feeds close (absent in the CLI). */
  events?: EventBus;
}

/** The registrant's member row: always an owner; email and password stay in `users`. */
function registrantRow(userId: number, at: number) {
  return {
    user_id: userId,
    email: null,
    password_hash: null,
    role: 'owner' as const,
    campaign_ids: null,
    invitation_hash: null,
    invitation_expires_at: null,
    accepted_at: at,
    created_at: at,
    updated_at: at,
  };
}

export function createAccountService(deps: AccountServiceDeps) {
  const { db, tokens } = deps;
  const now = deps.now ?? Date.now;
  const signIn = deps.signIn ?? createSignInThrottle({ now });
  const issue = async (claims: TokenClaims): Promise<IssuedToken> => ({
    token: await tokens.sign(claims),
    expires_in: TOKEN_LIFETIME_SECONDS,
  });

  const refuseCommonPassword = (field: string, password: string) => {
    if (isCommonPassword(password)) {
      throw validationError(
        field,
        'This password is one of the 10,000 most common ones, which are guessed first; choose another (a few unrelated words make a strong one)',
      );
    }
  };

  const createUser = async (email: string, password: string, plan: Plan = 'starter'): Promise<Account> => {
    refuseCommonPassword('password', password);
    const normalized = normalizeEmail(email);
    if (await findUserByEmail(db, normalized)) throw validationError('email', 'The email is already registered');
    if (await findMemberByEmail(db, normalized)) throw validationError('email', 'The email is already registered');
    const at = now();
    const passwordHash = await hashSecret(password);
    const row = await db.transaction().execute(async (trx) => {
      const user = await insertUser(trx, {
        email: normalized,
        password_hash: passwordHash,
        plan,
        postback_token: null,
        postback_allowed_ips: '[]',
        created_at: at,
        updated_at: at,
      });
      await insertMember(trx, registrantRow(user.id, at));
      return user;
    });
    return toAccount(row);
  };

  /**
   * The registrant's member row. Accounts made before migration 023 got theirs from it; one stored by a
   * path that skipped createUser (a fixture writing `users` directly) gets it here, once.
   */
  const registrantOf = async (user: UserRow): Promise<MemberRow> => {
    const found = await findRegistrant(db, user.id);
    if (found) return found;
    try {
      return await insertMember(db, registrantRow(user.id, user.created_at));
    } catch (error) {
      // Another request created it first (members_registrant is unique per workspace).
      const again = await findRegistrant(db, user.id);
      if (again) return again;
      throw error;
    }
  };

  const getUserOrThrow = async (userId: number): Promise<UserRow> => {
    const user = await findUserById(db, userId);
    if (!user) throw notFound('Account');
    return user;
  };

  return {
    createUser,

    async register(email: string, password: string): Promise<{ account: Account } & IssuedToken> {
      const account = await createUser(email, password);
      return {
        account,
        ...(await issue({ userId: account.id, scope: 'write', apiKeyId: null, credentialsVersion: 0 })),
      };
    },

    /** `address`: the client's, for the per-address sign-in limit. */
    async issueToken(credentials: Credentials, address: string): Promise<IssuedToken> {
      if ('email' in credentials) {
        const email = normalizeEmail(credentials.email);
        await signIn.admit(address, email);
        const user = await findUserByEmail(db, email);
        // An invited member signs in here too, once their invitation set a password.
        const member = user ? undefined : await findMemberByEmail(db, email);
        const hash = user?.password_hash ?? member?.password_hash ?? DUMMY_HASH;
        // One scrypt either way (a fixed dummy hash for an unknown email), so timing does not tell which emails exist.
        const ok = await verifySecret(credentials.password, hash);
        if ((!user && !member?.password_hash) || !ok) {
          await signIn.failed(email);
          throw authenticationError('Invalid email or password');
        }
        await signIn.succeeded(email);
        if (member) {
          return issue({
            userId: member.user_id,
            scope: 'write',
            apiKeyId: null,
            credentialsVersion: member.credentials_version,
            memberId: member.id,
          });
        }
        return issue({
          userId: user!.id,
          scope: 'write',
          apiKeyId: null,
          credentialsVersion: user!.credentials_version,
        });
      }
      // API secrets are 238 random bits: no lock per key (which would only let anyone stall an integration).
      await signIn.admit(address, null);
      const key = await findActiveApiKeyByKey(db, credentials.api_key);
      // Likewise for API keys: an unknown key costs the scrypt a known one does.
      const ok = await verifySecret(credentials.api_secret, key?.secret_hash ?? DUMMY_HASH);
      if (!key || !ok) {
        throw authenticationError('Invalid API key or secret');
      }
      const owner = await findUserById(db, key.user_id);
      if (!owner) throw authenticationError('Invalid API key or secret');
      const member = key.member_id === null ? await registrantOf(owner) : await findMember(db, owner.id, key.member_id);
      if (!member) throw authenticationError('Invalid API key or secret');
      await touchApiKey(db, key.id, now());
      return issue({
        userId: key.user_id,
        scope: key.scope,
        apiKeyId: key.id,
        credentialsVersion: member.email === null ? owner.credentials_version : member.credentials_version,
      });
    },

    /**
     * Resolves a verified token to a live principal: a revoked key, a deleted user or a password
     * changed since the token was minted ends it at once.
     */
    async resolvePrincipal(claims: TokenClaims): Promise<Principal> {
      const user = await findUserById(db, claims.userId);
      if (!user) throw authenticationError();
      let memberId = claims.memberId ?? null;
      if (claims.apiKeyId !== null) {
        const key = await findActiveApiKeyById(db, claims.apiKeyId);
        if (!key || key.user_id !== user.id) throw authenticationError('The API key of this token was revoked');
        memberId = key.member_id;
      }
      const member = memberId === null ? await registrantOf(user) : await findMember(db, user.id, memberId);
      if (!member) throw authenticationError('This member was removed from the workspace');
      const credentialsVersion = member.email === null ? user.credentials_version : member.credentials_version;
      if ((claims.credentialsVersion ?? 0) !== credentialsVersion) {
        throw authenticationError('The password was changed after this token was issued; sign in again');
      }
      return {
        userId: user.id,
        plan: user.plan,
        scope: claims.scope,
        apiKeyId: claims.apiKeyId,
        credentialsVersion,
        memberId: member.id,
        role: member.role,
        campaignIds: member.role === 'owner' || member.role === 'admin' ? null : parseCampaignIds(member.campaign_ids),
        actor: { memberId: member.id, email: member.email ?? user.email, apiKeyId: claims.apiKeyId },
      };
    },

    async getAccount(userId: number): Promise<Account> {
      return toAccount(await getUserOrThrow(userId));
    },

    /**
     * A new email or password needs the current password: a token alone (stolen, or left in a shared
     * browser) must not be enough to take the account over. A new password ends every earlier token.
     */
    async updateAccount(userId: number, changes: AccountChanges): Promise<Account> {
      const user = await getUserOrThrow(userId);
      const update: UserUpdate & { updated_at: number } = { updated_at: now() };
      if (changes.password !== undefined) refuseCommonPassword('password', changes.password);
      if (changes.email !== undefined || changes.password !== undefined) {
        const what = changes.password !== undefined ? 'password' : 'email';
        if (changes.current_password === undefined) {
          throw validationError('current_password', `The current_password field is required to change the ${what}`);
        }
        // A stolen token must not turn this check into a guessing oracle: wrong current passwords count
        // towards the account's sign-in lock, and a locked account is not checked at all.
        await signIn.checkAccount(user.email);
        if (!(await verifySecret(changes.current_password, user.password_hash))) {
          await signIn.failed(user.email);
          throw validationError('current_password', 'The current password is wrong');
        }
      }
      if (changes.email !== undefined) {
        const email = normalizeEmail(changes.email);
        const other = await findUserByEmail(db, email);
        if ((other && other.id !== userId) || (await findMemberByEmail(db, email)))
          throw validationError('email', 'The email is already registered');
        update.email = email;
      }
      if (changes.password !== undefined) {
        update.password_hash = await hashSecret(changes.password);
        update.credentials_version = user.credentials_version + 1;
      }
      if (changes.postback_allowed_ips !== undefined) {
        const bad = changes.postback_allowed_ips.filter((entry) => parseIpRange(entry.trim()) === null);
        if (bad.length > 0) {
          const messages = bad.map((entry) => `"${entry}" is not an IP address or CIDR range`);
          throw new AppError('VALIDATION_ERROR', messages[0]!, { postback_allowed_ips: messages });
        }
        update.postback_allowed_ips = JSON.stringify([
          ...new Set(changes.postback_allowed_ips.map((entry) => entry.trim())),
        ]);
      }
      const row = await auditedUpdate(
        db,
        userId,
        'account',
        (trx) => findUserById(trx, userId),
        (trx) => updateUser(trx, userId, update),
      );
      if (!row) throw notFound('Account');
      if (update.credentials_version !== undefined) {
        deps.events?.emit('credentials.revoked', { userId, apiKeyId: null });
      }
      return toAccount(row);
    },

    /**
     * The caller's own password, whoever they are: the registrant's is the account's (users), an invited
     * member's their row's. Guarded as a sign-in (the address's limit and the account's lock, wrong
     * current passwords counting towards it), since a stolen token must not make it a guessing oracle.
     * Every earlier token of the caller ends; the one returned carries the new credentials version.
     */
    async changePassword(principal: Principal, change: PasswordChange, address: string): Promise<IssuedToken> {
      const user = await getUserOrThrow(principal.userId);
      const member = await findMember(db, user.id, principal.memberId);
      if (!member) throw authenticationError('This member was removed from the workspace');
      const registrant = member.email === null;
      const email = member.email ?? user.email;
      await signIn.admit(address, email);
      refuseCommonPassword('password', change.password);
      if (!(await verifySecret(change.current_password, (registrant ? user : member).password_hash ?? DUMMY_HASH))) {
        await signIn.failed(email);
        throw validationError('current_password', 'The current password is wrong');
      }
      await signIn.succeeded(email);
      const passwordHash = await hashSecret(change.password);
      const at = now();
      let credentialsVersion: number;
      if (registrant) {
        const row = await auditedUpdate(
          db,
          user.id,
          'account',
          (trx) => findUserById(trx, user.id),
          (trx) =>
            updateUser(trx, user.id, {
              password_hash: passwordHash,
              credentials_version: user.credentials_version + 1,
              updated_at: at,
            }),
        );
        if (!row) throw notFound('Account');
        credentialsVersion = row.credentials_version;
      } else {
        const row = await auditedUpdate(
          db,
          user.id,
          'member',
          (trx) => findMember(trx, user.id, member.id),
          (trx) =>
            updateMember(trx, user.id, member.id, {
              password_hash: passwordHash,
              credentials_version: member.credentials_version + 1,
              updated_at: at,
            }),
        );
        if (!row) throw authenticationError('This member was removed from the workspace');
        credentialsVersion = row.credentials_version;
      }
      // Open live feeds under the old password close too (on every node).
      deps.events?.emit('credentials.revoked', { userId: user.id, apiKeyId: null, memberId: member.id });
      return issue({
        userId: user.id,
        scope: 'write',
        apiKeyId: null,
        credentialsVersion,
        ...(registrant ? {} : { memberId: member.id }),
      });
    },

    async setPlan(email: string, plan: Plan): Promise<Account> {
      const user = await findUserByEmail(db, normalizeEmail(email));
      if (!user) throw notFound(`User ${email}`);
      const row = await updateUser(db, user.id, { plan, updated_at: now() });
      return toAccount(row ?? user);
    },

    /** A new postback token, returned this once: only its hash is stored. Replaces any earlier token. */
    async setPostbackToken(userId: number): Promise<string> {
      const token = generatePostbackToken();
      const row = await auditedUpdate(
        db,
        userId,
        'account',
        (trx) => findUserById(trx, userId),
        (trx) => updateUser(trx, userId, { postback_token: hashPostbackToken(token), updated_at: now() }),
      );
      if (!row) throw notFound('Account');
      return token;
    },

    /** Postbacks are open again: any click id of the account is accepted without a token. */
    async clearPostbackToken(userId: number): Promise<void> {
      const row = await auditedUpdate(
        db,
        userId,
        'account',
        (trx) => findUserById(trx, userId),
        (trx) => updateUser(trx, userId, { postback_token: null, updated_at: now() }),
      );
      if (!row) throw notFound('Account');
    },

    /**
     * Throws 403 when the account requires a postback token and `token` is not it, or when it accepts
     * postbacks only from listed addresses and `ip` is not among them.
     */
    async checkPostbackToken(userId: number, token: string | undefined, ip?: string): Promise<void> {
      const user = await getUserOrThrow(userId);
      const allowed = parseAddressList(user.postback_allowed_ips);
      if (allowed.length > 0 && (ip === undefined || findIpInList(ip, allowed) === null)) {
        throw authorizationError('Postbacks are not accepted from this address (account postback_allowed_ips)');
      }
      if (user.postback_token !== null && !isPostbackTokenValid(token, user.postback_token)) {
        throw authorizationError(
          token === undefined ? 'This account requires a postback token: add &token=…' : 'Invalid postback token',
        );
      }
    },

    assertCanWrite(principal: Principal): void {
      if (principal.scope !== 'write') throw authorizationError('This API key is read-only');
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
