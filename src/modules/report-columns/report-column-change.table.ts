import type { Generated } from 'kysely';

/** A click whose report columns changed after the columnar copies may have copied it (migration 033). */
export interface ReportColumnChangeTable {
  id: Generated<number>;
  click_id: string;
  click_created_at: number;
  /** Epoch ms of the change: rows are kept a day. */
  changed_at: number;
}
