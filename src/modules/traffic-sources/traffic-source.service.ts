import type { Db } from '../../storage/database.ts';
import type { EventBus } from '../../events.ts';
import { notFound, validationError } from '../../errors.ts';
import {
  toTrafficSource,
  DEFAULT_CLICK_ID_PARAM,
  DEFAULT_POSTBACK_STATUSES,
  type TrafficSource,
} from './traffic-source.ts';
import {
  deleteTrafficSource,
  findTrafficSource,
  findTrafficSources,
  findTrafficSourceNames,
  insertTrafficSource,
  listTrafficSources,
  updateTrafficSource,
} from './traffic-source.repository.ts';
import type { Platform, TrafficSourceRow, TrafficSourceUpdate } from './traffic-source.table.ts';
import type { ConversionStatus } from '../conversions/conversion.enums.ts';
import type { Page, PageRequest } from '../../pagination.ts';
import { findTemplate, TRAFFIC_SOURCE_TEMPLATES, type TemplateId, type TrafficSourceTemplate } from './templates.ts';
import { checkPostbackAddress, checkPostbackUrl } from './traffic-source-input.ts';
import { sourceTrackingQuery } from './tracking-link.ts';
import { auditedCreate, auditedDelete, auditedUpdate } from '../audit/audited.ts';

export interface TrafficSourceFields {
  name?: string;
  platform?: Platform;
  click_id_param?: string;
  cost_param?: string | null;
  placement_param?: string | null;
  postback_url?: string | null;
  postback_statuses?: ConversionStatus[];
  postback_fraudulent?: boolean;
}

export interface TrafficSourceInput extends TrafficSourceFields {
  name: string;
  template?: TemplateId;
}

/** What the tracker needs of a campaign's source on every click: which query parameters to keep. */
export interface SourceParams {
  readonly id: number;
  readonly clickIdParam: string;
  readonly costParam: string | null;
  readonly placementParam: string | null;
}

export interface TrafficSourceServiceDeps {
  db: Db;
  /** `traffic-source.changed` tells the campaign cache to forget what it holds of a source. */
  events?: EventBus;
  now?: () => number;
  /** WEBHOOKS_ALLOW_PRIVATE_TARGETS: postbacks share the webhooks' SSRF switch. */
  allowPrivateTargets?: boolean;
}

/** The columns of the fields given; undefined ones are left as they are. */
function toColumns(input: TrafficSourceFields): TrafficSourceUpdate {
  const columns: TrafficSourceUpdate = {
    name: input.name,
    platform: input.platform,
    click_id_param: input.click_id_param,
    cost_param: input.cost_param,
    placement_param: input.placement_param,
    postback_url: input.postback_url === '' ? null : input.postback_url,
    postback_statuses: input.postback_statuses ? JSON.stringify(input.postback_statuses) : undefined,
    postback_fraudulent: input.postback_fraudulent === undefined ? undefined : input.postback_fraudulent ? 1 : 0,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

function templateFields(template: TrafficSourceTemplate): TrafficSourceFields {
  return {
    platform: template.platform,
    click_id_param: template.click_id_param,
    cost_param: template.cost_param,
    placement_param: template.placement_param,
    postback_url: template.postback_url,
  };
}

export function createTrafficSourceService(deps: TrafficSourceServiceDeps) {
  const { db, events } = deps;
  const now = deps.now ?? Date.now;
  const checkPostback = (url: string | null | undefined): void => {
    if (!url) return;
    const problem = checkPostbackUrl(url) ?? checkPostbackAddress(url, deps.allowPrivateTargets === true);
    if (problem) throw validationError('postback_url', problem);
  };
  const getOrThrow = async (userId: number, id: number) => {
    const row = await findTrafficSource(db, userId, id);
    if (!row) throw notFound('Traffic source');
    return row;
  };
  const changed = (row: Pick<TrafficSourceRow, 'id' | 'user_id'>) =>
    events?.emit('traffic-source.changed', { userId: row.user_id, trafficSourceId: row.id });

  return {
    async create(userId: number, input: TrafficSourceInput): Promise<TrafficSource> {
      const template = findTemplate(input.template);
      // Explicit fields win over the template's: a buyer may rename a parameter the network lets them choose.
      const fields: TrafficSourceFields = {
        ...(template ? templateFields(template) : {}),
        ...Object.fromEntries(
          Object.entries(input).filter(([key, value]) => key !== 'template' && value !== undefined),
        ),
      };
      const platform = fields.platform;
      if (!platform) throw validationError('platform', 'platform is required unless a template gives it');
      checkPostback(fields.postback_url);
      const at = now();
      const row = await auditedCreate(db, userId, 'traffic_source', (trx) =>
        insertTrafficSource(trx, {
          user_id: userId,
          name: input.name,
          platform,
          click_id_param: fields.click_id_param ?? DEFAULT_CLICK_ID_PARAM[platform],
          cost_param: fields.cost_param ?? null,
          placement_param: fields.placement_param ?? null,
          postback_url: fields.postback_url || null,
          postback_statuses: JSON.stringify(fields.postback_statuses ?? DEFAULT_POSTBACK_STATUSES),
          postback_fraudulent: fields.postback_fraudulent ? 1 : 0,
          template: template?.id ?? null,
          created_at: at,
          updated_at: at,
        }),
      );
      return toTrafficSource(row);
    },

    async get(userId: number, id: number): Promise<TrafficSource> {
      return toTrafficSource(await getOrThrow(userId, id));
    },

    /** For reports: every source's name by id. */
    async names(userId: number): Promise<Map<number, string>> {
      return new Map((await findTrafficSourceNames(db, userId)).map((row) => [Number(row.id), row.name]));
    },

    /** Lets another feature check ownership without reading this feature's table. */
    async exists(userId: number, id: number): Promise<boolean> {
      return (await findTrafficSource(db, userId, id)) !== undefined;
    },

    /** For the campaign cache: the parameters a click of this source carries; undefined once it is gone. */
    async params(userId: number, id: number): Promise<SourceParams | undefined> {
      const row = await findTrafficSource(db, userId, id);
      return row
        ? {
            id: row.id,
            clickIdParam: row.click_id_param,
            costParam: row.cost_param,
            placementParam: row.placement_param,
          }
        : undefined;
    },

    /**
     * What postbacks need of a source: undefined when it is not the account's, null when it has no
     * postback_url (nothing to send).
     */
    async postbackSettings(
      userId: number,
      id: number,
    ): Promise<{ url: string; statuses: ConversionStatus[]; sendFraudulent: boolean } | null | undefined> {
      const row = await findTrafficSource(db, userId, id);
      if (!row) return undefined;
      const source = toTrafficSource(row);
      return source.postback_url
        ? { url: source.postback_url, statuses: source.postback_statuses, sendFraudulent: source.postback_fraudulent }
        : null;
    },

    /** Each source's part of a tracking URL (`?param=token&…`), for campaigns to show. */
    async trackingQueries(userId: number, ids: readonly number[]): Promise<Map<number, string>> {
      if (ids.length === 0) return new Map();
      const rows = await findTrafficSources(db, userId, [...new Set(ids)]);
      return new Map(rows.map((row) => [row.id, sourceTrackingQuery(row)]));
    },

    templates(): readonly TrafficSourceTemplate[] {
      return TRAFFIC_SOURCE_TEMPLATES;
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

    async update(userId: number, id: number, input: TrafficSourceFields): Promise<TrafficSource> {
      const current = await getOrThrow(userId, id);
      checkPostback(input.postback_url);
      const platform = input.platform ?? current.platform;
      // A platform change without an explicit parameter takes the new platform's own parameter.
      const clickIdParam =
        input.click_id_param ??
        (input.platform && input.platform !== current.platform ? DEFAULT_CLICK_ID_PARAM[platform] : undefined);
      const row = await auditedUpdate(
        db,
        userId,
        'traffic_source',
        (trx) => findTrafficSource(trx, userId, id),
        (trx) =>
          updateTrafficSource(trx, userId, id, {
            ...toColumns({ ...input, click_id_param: clickIdParam }),
            platform,
            updated_at: now(),
          }),
      );
      if (!row) throw notFound('Traffic source');
      changed(row);
      return toTrafficSource(row);
    },

    async remove(userId: number, id: number): Promise<void> {
      const gone = await auditedDelete(
        db,
        userId,
        'traffic_source',
        (trx) => findTrafficSource(trx, userId, id),
        (trx) => deleteTrafficSource(trx, userId, id),
      );
      if (!gone) throw notFound('Traffic source');
      changed({ id, user_id: userId });
    },
  };
}

export type TrafficSourceService = ReturnType<typeof createTrafficSourceService>;
