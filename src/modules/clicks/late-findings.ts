import { applyLateFinding, applyVerification, type Finding, type Reason } from '../../detection/index.ts';
import type { Db } from '../../storage/database.ts';
import { storedVerdictOf, verdictColumns } from './click-row.ts';
import { findClicksByIds, updateClickVerdict } from './click.repository.ts';
import type { AmendedClick } from './click-events.ts';

/**
 * Earlier clicks of a group that share what a later click revealed, or a click its page's beacon judged
 * (`finding`); or a click whose crawler claim was proved after its redirect (`verified`: the reason that proves it).
 */
export type Amendment =
  | {
      readonly ids: readonly string[];
      readonly finding: Finding;
      /** How the reason says where the finding came from (default "Recognised later: "). */
      readonly prefix?: string;
    }
  | { readonly ids: readonly string[]; readonly verified: Reason };

/**
 * Adds late findings to stored clicks, in one transaction. Amendments of one batch may touch the
 * same click (a burst that is also a farm): each reads what the previous one wrote.
 */
export async function amendClicks(
  db: Db,
  amendments: readonly Amendment[],
  inTransaction?: (trx: Db, amended: readonly AmendedClick[]) => Promise<void>,
): Promise<AmendedClick[]> {
  return db.transaction().execute(async (trx) => {
    const amended: AmendedClick[] = [];
    for (const amendment of amendments) {
      for (const before of await findClicksByIds(trx, amendment.ids)) {
        const stored = storedVerdictOf(before);
        const change =
          'finding' in amendment
            ? applyLateFinding(stored, amendment.finding, amendment.prefix)
            : applyVerification(stored, amendment.verified);
        if (!change) continue;
        const columns = verdictColumns(change);
        await updateClickVerdict(trx, before.id, before.created_at, columns);
        amended.push({ before, after: { ...before, ...columns } });
      }
    }
    if (amended.length > 0) await inTransaction?.(trx, amended);
    return amended;
  });
}
