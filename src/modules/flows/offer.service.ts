import { notFound, validationError } from '../../errors.ts';
import type { Page, PageRequest } from '../../pagination.ts';
import { validateDestinationTemplate } from '../campaigns/destination.ts';
import type { OfferStatus } from './flow.enums.ts';
import { announceUsers, refuseIfUsed, type FlowTargetServiceDeps } from './flow-target-deps.ts';
import { toOffer, type Offer } from './offer.ts';
import { deleteOffer, findOffer, findOffers, insertOffer, listOffers, updateOffer } from './offer.repository.ts';
import type { OfferRow, OfferUpdate } from './offer.table.ts';
import { auditedCreate, auditedDelete, auditedUpdate } from '../audit/audited.ts';

export interface OfferFields {
  name?: string;
  url?: string;
  payout?: number;
  affiliate_network?: string | null;
  status?: OfferStatus;
}

function checkUrl(url: string | undefined): void {
  if (url === undefined) return;
  const problem = validateDestinationTemplate(url);
  if (problem) throw validationError('url', problem.replace('Destination URL', 'The offer URL'));
}

const defined = (changes: OfferUpdate): OfferUpdate =>
  Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));

export function createOfferService(deps: FlowTargetServiceDeps) {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  return {
    async create(userId: number, input: OfferFields & { name: string; url: string }): Promise<Offer> {
      checkUrl(input.url);
      const at = now();
      const row = await auditedCreate(db, userId, 'offer', (trx) =>
        insertOffer(trx, {
          user_id: userId,
          name: input.name,
          url: input.url,
          payout: input.payout ?? 0,
          affiliate_network: input.affiliate_network ?? null,
          status: input.status ?? 'active',
          created_at: at,
          updated_at: at,
        }),
      );
      return toOffer(row);
    },

    async get(userId: number, id: number): Promise<Offer> {
      const row = await findOffer(db, userId, id);
      if (!row) throw notFound('Offer');
      return toOffer(row);
    },

    /** For flows: the account's offers among `ids` (a foreign or missing id is simply absent). */
    rows: (userId: number, ids: readonly number[]): Promise<OfferRow[]> => findOffers(db, userId, ids),

    /** For lander links: the offer's URL template, undefined once the offer is gone. */
    async url(userId: number, id: number): Promise<string | undefined> {
      return (await findOffer(db, userId, id))?.url;
    },

    /** For conversions: the offer's payout, undefined once the offer is gone. */
    async payout(userId: number, id: number): Promise<number | undefined> {
      const row = await findOffer(db, userId, id);
      return row ? Number(row.payout) : undefined;
    },

    async list(userId: number, page: PageRequest, status?: OfferStatus): Promise<Page<Offer>> {
      const { rows, total } = await listOffers(db, { userId, status, limit: page.perPage, offset: page.offset });
      return { items: rows.map(toOffer), total };
    },

    async update(userId: number, id: number, input: OfferFields): Promise<Offer> {
      checkUrl(input.url);
      const row = await auditedUpdate(
        db,
        userId,
        'offer',
        (trx) => findOffer(trx, userId, id),
        (trx) => updateOffer(trx, userId, id, defined({ ...input, updated_at: now() })),
      );
      if (!row) throw notFound('Offer');
      await announceUsers(deps, userId, { offerId: id });
      return toOffer(row);
    },

    async remove(userId: number, id: number): Promise<void> {
      if (!(await findOffer(db, userId, id))) throw notFound('Offer');
      await refuseIfUsed(deps, userId, { offerId: id }, 'offer');
      const gone = await auditedDelete(
        db,
        userId,
        'offer',
        (trx) => findOffer(trx, userId, id),
        (trx) => deleteOffer(trx, userId, id),
      );
      if (!gone) throw notFound('Offer');
    },
  };
}

export type OfferService = ReturnType<typeof createOfferService>;
