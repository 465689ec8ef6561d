import { applyLateFinding, type Finding } from '../../detection/index.ts';
import type { Db } from '../../storage/database.ts';
import { storedVerdictOf, verdictColumns } from './click-row.ts';
import { findClicksByIds, updateClickVerdict } from './click.repository.ts';
import type { AmendedClick } from './click-events.ts';

/** Earlier clicks of a group that share what a later click revealed, or a click its page's beacon judged. */
export interface Amendment {
  readonly ids: readonly string[];
  readonly finding: Finding;
  /** How the reason says where the finding came from (default "Recognised later: "). */
  readonly prefix?: string;
}

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
    for (const { ids, finding, prefix } of amendments) {
      for (const before of await findClicksByIds(trx, ids)) {
        const change = applyLateFinding(storedVerdictOf(before), finding, prefix);
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
