import type { Generated, Insertable, Selectable } from 'kysely';
import type { ConversionStatus } from './conversion.enums.ts';

export type { ConversionStatus };

export interface ConversionTable {
  id: Generated<number>;
  user_id: number;
  campaign_id: number;
  click_id: string;
  transaction_id: string | null;
  /**
   * `tx:<transaction id>` or `click:<click id>` when there is none; unique per account, so the database
   * itself makes a repeated or racing postback update one conversion instead of counting twice.
   */
  dedupe_key: string;
  payout: number;
  status: ConversionStatus;
  created_at: number;
  updated_at: number;
}

export type ConversionRow = Selectable<ConversionTable>;
export type NewConversionRow = Insertable<ConversionTable>;
