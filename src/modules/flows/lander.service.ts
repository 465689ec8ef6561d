import { notFound, validationError } from '../../errors.ts';
import type { Page, PageRequest } from '../../pagination.ts';
import { validateDestinationTemplate } from '../campaigns/destination.ts';
import { announceUsers, refuseIfUsed, type FlowTargetServiceDeps } from './flow-target-deps.ts';
import { toLander, type Lander } from './lander.ts';
import { deleteLander, findLander, findLanders, insertLander, listLanders, updateLander } from './lander.repository.ts';
import { auditedCreate, auditedDelete, auditedUpdate } from '../audit/audited.ts';
import type { LanderRow, LanderUpdate } from './lander.table.ts';

export interface LanderFields {
  name?: string;
  url?: string;
  offers_count?: number;
}

function checkUrl(url: string | undefined): void {
  if (url === undefined) return;
  const problem = validateDestinationTemplate(url);
  if (problem) throw validationError('url', problem.replace('Destination URL', 'The lander URL'));
}

const defined = (changes: LanderUpdate): LanderUpdate =>
  Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));

export function createLanderService(deps: FlowTargetServiceDeps) {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  return {
    async create(userId: number, input: LanderFields & { name: string; url: string }): Promise<Lander> {
      checkUrl(input.url);
      const at = now();
      const row = await auditedCreate(db, userId, 'lander', (trx) =>
        insertLander(trx, {
          user_id: userId,
          name: input.name,
          url: input.url,
          offers_count: input.offers_count ?? 1,
          created_at: at,
          updated_at: at,
        }),
      );
      return toLander(row);
    },

    async get(userId: number, id: number): Promise<Lander> {
      const row = await findLander(db, userId, id);
      if (!row) throw notFound('Lander');
      return toLander(row);
    },

    /** For flows: the account's landers among `ids` (a foreign or missing id is simply absent). */
    rows: (userId: number, ids: readonly number[]): Promise<LanderRow[]> => findLanders(db, userId, ids),

    async list(userId: number, page: PageRequest): Promise<Page<Lander>> {
      const { rows, total } = await listLanders(db, { userId, limit: page.perPage, offset: page.offset });
      return { items: rows.map(toLander), total };
    },

    async update(userId: number, id: number, input: LanderFields): Promise<Lander> {
      checkUrl(input.url);
      const row = await auditedUpdate(
        db,
        userId,
        'lander',
        (trx) => findLander(trx, userId, id),
        (trx) => updateLander(trx, userId, id, defined({ ...input, updated_at: now() })),
      );
      if (!row) throw notFound('Lander');
      await announceUsers(deps, userId, { landerId: id });
      return toLander(row);
    },

    async remove(userId: number, id: number): Promise<void> {
      if (!(await findLander(db, userId, id))) throw notFound('Lander');
      await refuseIfUsed(deps, userId, { landerId: id }, 'lander');
      const gone = await auditedDelete(
        db,
        userId,
        'lander',
        (trx) => findLander(trx, userId, id),
        (trx) => deleteLander(trx, userId, id),
      );
      if (!gone) throw notFound('Lander');
    },
  };
}

export type LanderService = ReturnType<typeof createLanderService>;
