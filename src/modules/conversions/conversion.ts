import type { Static } from 'typebox';
import type { ConversionSchema } from '../../schemas/conversion.ts';
import type { ConversionRow, ConversionStatus } from './conversion.table.ts';

/** A network that reports a sale without a status means a sale: approved. */
export const DEFAULT_CONVERSION_STATUS: ConversionStatus = 'approved';
export const MAX_PAYOUT = 1_000_000_000;
export const MAX_TRANSACTION_ID_LENGTH = 200;

export type Conversion = Static<typeof ConversionSchema>;

function parseReasons(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function toConversion(row: ConversionRow): Conversion {
  return {
    id: row.id,
    click_id: row.click_id,
    campaign_id: row.campaign_id,
    payout: row.payout,
    transaction_id: row.transaction_id,
    status: row.status,
    event: row.event,
    suspicious: row.suspicious === 1,
    suspicious_reasons: parseReasons(row.suspicious_reasons),
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
