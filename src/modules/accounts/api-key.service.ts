import type { Static } from 'typebox';
import type { ApiKeySchema } from '../../schemas/api-key.ts';
import type { Db } from '../../storage/database.ts';
import type { EventBus } from '../../events.ts';
import { notFound } from '../../errors.ts';
import { randomBase62 } from '../../random-base62.ts';
import { hashSecret } from './secret-hash.ts';
import { findLiveApiKey, insertApiKey, listApiKeys, revokeApiKey } from './api-key.repository.ts';
import { auditedCreate, auditedDelete } from '../audit/audited.ts';
import type { ApiKeyRow, ApiKeyScope } from './api-key.table.ts';

export type ApiKey = Static<typeof ApiKeySchema>;

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    api_key: row.key,
    scope: row.scope,
    created_at: new Date(row.created_at).toISOString(),
    last_used_at: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
  };
}

export interface ApiKeyServiceDeps {
  db: Db;
  now?: () => number;
  /** Where a revocation is announced, so the key's open live feeds close (absent in the CLI). */
  events?: EventBus;
}

export function createApiKeyService(deps: ApiKeyServiceDeps) {
  const { db, events } = deps;
  const now = deps.now ?? Date.now;
  return {
    /** The secret is returned here and never again: only its hash is stored. */
    /** `memberId`: whose key it is; it never carries more than that member's role allows. */
    async create(
      userId: number,
      memberId: number,
      name: string,
      scope: ApiKeyScope,
    ): Promise<ApiKey & { api_secret: string }> {
      const secret = `cs_${randomBase62(40)}`;
      const secretHash = await hashSecret(secret);
      const row = await auditedCreate(db, userId, 'api_key', (trx) =>
        insertApiKey(trx, {
          user_id: userId,
          member_id: memberId,
          name,
          key: `ck_${randomBase62(24)}`,
          secret_hash: secretHash,
          scope,
          created_at: now(),
          last_used_at: null,
          revoked_at: null,
        }),
      );
      return { ...toApiKey(row), api_secret: secret };
    },

    /** `memberId`: only that member's keys; null: the whole workspace's (an owner or admin manages them all). */
    async list(userId: number, memberId: number | null): Promise<ApiKey[]> {
      return (await listApiKeys(db, userId, memberId)).map(toApiKey);
    },

    async revoke(userId: number, id: number, memberId: number | null): Promise<void> {
      const revoked = await auditedDelete(
        db,
        userId,
        'api_key',
        async (trx) => {
          const row = await findLiveApiKey(trx, userId, id);
          return row && (memberId === null || row.member_id === memberId) ? row : undefined;
        },
        (trx) => revokeApiKey(trx, userId, id, now(), memberId),
      );
      if (!revoked) throw notFound('API key');
      events?.emit('credentials.revoked', { userId, apiKeyId: id });
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
