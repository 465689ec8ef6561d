import { validationError } from '../../errors.ts';
import { MAX_PAYOUT } from './conversion.ts';
import type { ConversionStatus } from './conversion.table.ts';

/** What the API body and the postback both come down to. Fields left out keep their value on an update. */
export interface ConversionInput {
  click_id: string;
  payout?: number;
  transaction_id?: string;
  status?: ConversionStatus;
  /** Absent: `conversion` on a new conversion; on a known txid, whatever event it has. */
  event?: string;
}

/** The postback's query as it arrives: every value is text, and the payout is a numeric string. */
export interface PostbackParams {
  clickid: string;
  payout?: string;
  txid?: string;
  status?: ConversionStatus;
  event?: string;
}

/** The schemas check shapes; this is the range check both entry points share (a JSON schema cannot bound a numeric string). */
export function checkPayout(payout: number | undefined): void {
  if (payout !== undefined && !(Number.isFinite(payout) && payout >= 0 && payout <= MAX_PAYOUT)) {
    throw validationError('payout', `The payout field must be a number from 0 to ${MAX_PAYOUT}`);
  }
}

export function fromPostback(params: PostbackParams): ConversionInput {
  return {
    click_id: params.clickid,
    payout: params.payout === undefined ? undefined : Number(params.payout),
    transaction_id: params.txid,
    status: params.status,
    event: params.event,
  };
}
