import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type Platform = 'google' | 'meta' | 'tiktok' | 'microsoft' | 'other';

export interface TrafficSourceTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  platform: Platform;
  click_id_param: string;
  created_at: number;
  updated_at: number;
}

export type TrafficSourceRow = Selectable<TrafficSourceTable>;
export type NewTrafficSourceRow = Insertable<TrafficSourceTable>;
export type TrafficSourceUpdate = Updateable<TrafficSourceTable>;
