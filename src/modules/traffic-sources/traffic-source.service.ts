import type { Db } from '../../storage/database.ts';
import { notFound } from '../../errors.ts';
import { toTrafficSource, DEFAULT_CLICK_ID_PARAM, type TrafficSource } from './traffic-source.ts';
import {
  deleteTrafficSource,
  findTrafficSource,
  insertTrafficSource,
  listTrafficSources,
  updateTrafficSource,
} from './traffic-source.repository.ts';
import type { Platform } from './traffic-source.table.ts';
import type { Page, PageRequest } from '../../pagination.ts';

export interface TrafficSourceInput {
  name: string;
  platform: Platform;
  click_id_param?: string;
}

export interface TrafficSourceServiceDeps {
  db: Db;
  now?: () => number;
}

export function createTrafficSourceService(deps: TrafficSourceServiceDeps) {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const getOrThrow = async (userId: number, id: number) => {
    const row = await findTrafficSource(db, userId, id);
    if (!row) throw notFound('Traffic source');
    return row;
  };

  return {
    async create(userId: number, input: TrafficSourceInput): Promise<TrafficSource> {
      const at = now();
      const row = await insertTrafficSource(db, {
        user_id: userId,
        name: input.name,
        platform: input.platform,
        click_id_param: input.click_id_param ?? DEFAULT_CLICK_ID_PARAM[input.platform],
        created_at: at,
        updated_at: at,
      });
      return toTrafficSource(row);
    },

    async get(userId: number, id: number): Promise<TrafficSource> {
      return toTrafficSource(await getOrThrow(userId, id));
    },

    /** Lets another feature check ownership without reading this feature's table. */
    async exists(userId: number, id: number): Promise<boolean> {
      return (await findTrafficSource(db, userId, id)) !== undefined;
    },

    async list(userId: number, page: PageRequest, platform?: Platform): Promise<Page<TrafficSource>> {
      const { rows, total } = await listTrafficSources(db, {
        userId,
        platform,
        limit: page.perPage,
        offset: page.offset,
      });
      return { items: rows.map(toTrafficSource), total };
    },

    async update(userId: number, id: number, input: Partial<TrafficSourceInput>): Promise<TrafficSource> {
      const current = await getOrThrow(userId, id);
      const platform = input.platform ?? current.platform;
      // A platform change without an explicit parameter takes the new platform's own parameter.
      const clickIdParam =
        input.click_id_param ??
        (input.platform && input.platform !== current.platform ? DEFAULT_CLICK_ID_PARAM[platform] : undefined);
      const row = await updateTrafficSource(db, userId, id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        platform,
        ...(clickIdParam !== undefined ? { click_id_param: clickIdParam } : {}),
        updated_at: now(),
      });
      if (!row) throw notFound('Traffic source');
      return toTrafficSource(row);
    },

    async remove(userId: number, id: number): Promise<void> {
      if (!(await deleteTrafficSource(db, userId, id))) throw notFound('Traffic source');
    },
  };
}

export type TrafficSourceService = ReturnType<typeof createTrafficSourceService>;
