import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface LanderTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** A destination template; `{clickid}` is how the page builds its links to PUBLIC_URL/lp/{clickid}. */
  url: string;
  /** How many offer links the page has (…/lp/{clickid}/{n}, n = 1…offers_count). */
  offers_count: number;
  created_at: number;
  updated_at: number;
}

export type LanderRow = Selectable<LanderTable>;
export type NewLanderRow = Insertable<LanderTable>;
export type LanderUpdate = Updateable<LanderTable>;
