import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Platform } from './traffic-source.enums.ts';

export type { Platform };

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
