import type { Static } from 'typebox';
import type { LanderSchema } from '../../schemas/lander.ts';
import type { LanderRow } from './lander.table.ts';

export type Lander = Static<typeof LanderSchema>;

export function toLander(row: LanderRow): Lander {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    offers_count: Number(row.offers_count),
    created_at: new Date(Number(row.created_at)).toISOString(),
    updated_at: new Date(Number(row.updated_at)).toISOString(),
  };
}
