import type { Db } from '../../storage/database.ts';
import { AppError, authenticationError, authorizationError, notFound, validationError } from '../../errors.ts';
import { hashSecret, verifySecret } from './secret-hash.ts';
import { generatePostbackToken, hashPostbackToken, isPostbackTokenValid } from './postback-token.ts';
import { findUserByEmail, findUserById, insertUser, updateUser } from './user.repository.ts';
import { findActiveApiKeyById, findActiveApiKeyByKey, touchApiKey } from './api-key.repository.ts';
import { normalizeEmail, parseAddressList, toAccount, type Account } from './account.ts';
import { findIpInList, parseIpRange } from '../../detection/cidr.ts';
import { TOKEN_LIFETIME_SECONDS, type TokenClaims, type TokenSigner } from './token.ts';
import type { Plan, UserRow, UserUpdate } from './user.table.ts';
import type { ApiKeyScope } from './api-key.table.ts';

export interface Principal {
  readonly userId: number;
  readonly plan: Plan;
  readonly scope: ApiKeyScope;
  readonly apiKeyId: number | null;
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

export function createAccountService(db: Db, tokens: TokenSigner, now: () => number = Date.now) {
  const issue = async (claims: TokenClaims): Promise<IssuedToken> => ({
    token: await tokens.sign(claims),
    expires_in: TOKEN_LIFETIME_SECONDS,
  });

  const createUser = async (email: string, password: string, plan: Plan = 'starter'): Promise<Account> => {
    const normalized = normalizeEmail(email);
    if (await findUserByEmail(db, normalized)) throw validationError('email', 'The email is already registered');
    const at = now();
    const row = await insertUser(db, {
      email: normalized,
      password_hash: await hashSecret(password),
      plan,
      postback_token: null,
      postback_allowed_ips: '[]',
      created_at: at,
      updated_at: at,
    });
    return toAccount(row);
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
      return { account, ...(await issue({ userId: account.id, scope: 'write', apiKeyId: null })) };
    },

    async issueToken(credentials: Credentials): Promise<IssuedToken> {
      if ('email' in credentials) {
        const user = await findUserByEmail(db, normalizeEmail(credentials.email));
        // Verify against a throwaway hash when the user is unknown, so timing does not reveal which emails exist.
        const ok = await verifySecret(credentials.password, user?.password_hash ?? (await hashSecret('x')));
        if (!user || !ok) throw authenticationError('Invalid email or password');
        return issue({ userId: user.id, scope: 'write', apiKeyId: null });
      }
      const key = await findActiveApiKeyByKey(db, credentials.api_key);
      if (!key || !(await verifySecret(credentials.api_secret, key.secret_hash))) {
        throw authenticationError('Invalid API key or secret');
      }
      await touchApiKey(db, key.id, now());
      return issue({ userId: key.user_id, scope: key.scope, apiKeyId: key.id });
    },

    /** Resolves a verified token to a live principal: a revoked key or a deleted user ends it at once. */
    async resolvePrincipal(claims: TokenClaims): Promise<Principal> {
      const user = await findUserById(db, claims.userId);
      if (!user) throw authenticationError();
      if (claims.apiKeyId !== null) {
        const key = await findActiveApiKeyById(db, claims.apiKeyId);
        if (!key || key.user_id !== user.id) throw authenticationError('The API key of this token was revoked');
      }
      return { userId: user.id, plan: user.plan, scope: claims.scope, apiKeyId: claims.apiKeyId };
    },

    async getAccount(userId: number): Promise<Account> {
      return toAccount(await getUserOrThrow(userId));
    },

    async updateAccount(userId: number, changes: AccountChanges): Promise<Account> {
      const user = await getUserOrThrow(userId);
      const update: UserUpdate & { updated_at: number } = { updated_at: now() };
      if (changes.email !== undefined) {
        const email = normalizeEmail(changes.email);
        const other = await findUserByEmail(db, email);
        if (other && other.id !== userId) throw validationError('email', 'The email is already registered');
        update.email = email;
      }
      if (changes.password !== undefined) {
        if (changes.current_password === undefined) {
          throw validationError('current_password', 'The current_password field is required to change the password');
        }
        if (!(await verifySecret(changes.current_password, user.password_hash))) {
          throw validationError('current_password', 'The current password is wrong');
        }
        update.password_hash = await hashSecret(changes.password);
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
      const row = await updateUser(db, userId, update);
      if (!row) throw notFound('Account');
      return toAccount(row);
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
      const row = await updateUser(db, userId, { postback_token: hashPostbackToken(token), updated_at: now() });
      if (!row) throw notFound('Account');
      return token;
    },

    /** Postbacks are open again: any click id of the account is accepted without a token. */
    async clearPostbackToken(userId: number): Promise<void> {
      const row = await updateUser(db, userId, { postback_token: null, updated_at: now() });
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
