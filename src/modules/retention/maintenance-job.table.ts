/** A background job that runs on one node at a time (migration 008). */
export interface MaintenanceJobTable {
  name: string;
  /** Epoch ms the holder's lease runs to; null when nobody runs the job. */
  claimed_until: number | null;
  /** How far the job got, kept across restarts (anonymisation: every click before this is done). */
  watermark: number | null;
}
