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
  /**
   * `click:<click id>` on the click's one counted conversion when its campaign does not allow repeats,
   * null otherwise; unique per account, so a new txid cannot add a second conversion to the click.
   */
  once_key: string | null;
  payout: number;
  status: ConversionStatus;
  /** What the conversion was (`lead`, `sale`, …; `conversion` by default): a click converts once per event. */
  event: Generated<string>;
  /** 0/1: flagged for review (the payout is far above the campaign's usual one); it still counts. */
  suspicious: number;
  /** JSON array of human-readable reasons, `[]` when clean. */
  suspicious_reasons: string;
  /**
   * 0/1: the rollups' suspicious_conversions hold this conversion's flag. 1 for every conversion written
   * since migration 024; 0 on those flagged before it, until a change of theirs counts them.
   */
  suspicious_in_rollups: Generated<number>;
  created_at: number;
  updated_at: number;
}

export type ConversionRow = Selectable<ConversionTable>;
export type NewConversionRow = Insertable<ConversionTable>;
