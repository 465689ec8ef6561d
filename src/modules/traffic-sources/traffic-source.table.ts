import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Platform } from './traffic-source.enums.ts';

export type { Platform };

export interface TrafficSourceTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  platform: Platform;
  click_id_param: string;
  cost_param: string | null;
  placement_param: string | null;
  postback_url: string | null;
  /** JSON array of conversion statuses. */
  postback_statuses: Generated<string>;
  postback_fraudulent: Generated<number>;
  /** The catalogue template it was created from (templates.ts), whose tokens its tracking URL uses. */
  template: string | null;
  created_at: number;
  updated_at: number;
}

export type TrafficSourceRow = Selectable<TrafficSourceTable>;
export type NewTrafficSourceRow = Insertable<TrafficSourceTable>;
export type TrafficSourceUpdate = Updateable<TrafficSourceTable>;
