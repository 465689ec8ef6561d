import type { Db } from '../../storage/database.ts';
import {
  countClicks,
  countFraudulentByType,
  listFraudulentClicksAfter,
  sumPricedFraudulent,
  type CampaignClickScope,
  type ClickCursor,
} from './fraudulent-click.repository.ts';

export interface FraudulentClickServiceDeps {
  db: Db;
}

/** What fraud reports read of the clicks: counts, and the fraudulent clicks chunk by chunk. */
export function createFraudulentClickService(deps: FraudulentClickServiceDeps) {
  const { db } = deps;
  return {
    /** `priced`: the fraudulent clicks that carried their own price, and that price summed. */
    async summarize(
      scope: CampaignClickScope,
    ): Promise<{ total: number; byType: Map<string, number>; priced: { clicks: number; cost: number } }> {
      const [total, byType, priced] = await Promise.all([
        countClicks(db, scope),
        countFraudulentByType(db, scope),
        sumPricedFraudulent(db, scope),
      ]);
      return { total, byType, priced };
    },
    readChunk: (scope: CampaignClickScope, after: ClickCursor | null, limit: number) =>
      listFraudulentClicksAfter(db, scope, after, limit),
  };
}

export type FraudulentClickService = ReturnType<typeof createFraudulentClickService>;
