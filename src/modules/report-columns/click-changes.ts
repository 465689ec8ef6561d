import type { Db } from '../../storage/database.ts';
import { recordClickChanges } from './report-columns.repository.ts';

/**
 * What the writers of clicks and conversions tell the columnar copies (report-columns.service.ts), in the
 * transaction of the change. Noted whether or not this process keeps a copy: another process may.
 */
export function createClickChangeNotes(options: { lagMs: number; now: () => number }) {
  return {
    /** Clicks whose report columns changed: a late finding, a conversion, a lander click-through. */
    changed: (trx: Db, clicks: readonly { readonly id: string; readonly created_at: number }[]) =>
      recordClickChanges(trx, clicks, options.now()),

    /**
     * Clicks written now with a time older than half the copies' lag (the outage spool's replay): a copy
     * may have passed their time already. Clicks written as they happen never are; this costs a comparison.
     */
    async recorded(trx: Db, rows: readonly { readonly id: string; readonly created_at: number }[]): Promise<void> {
      const late = options.now() - options.lagMs / 2;
      let old: { readonly id: string; readonly created_at: number }[] | undefined;
      for (const row of rows) if (row.created_at < late) (old ??= []).push(row);
      if (old) await recordClickChanges(trx, old, options.now());
    },
  };
}

export type ClickChangeNotes = ReturnType<typeof createClickChangeNotes>;
