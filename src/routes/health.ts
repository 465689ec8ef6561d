import type { FastifyPluginAsync } from 'fastify';
import type { IpReputationStore } from '../intel/lists/reputation.ts';
import type { ClickRecorder } from '../modules/clicks/click-recorder.ts';

/** A list older than this is reported stale; readiness never depends on it (an upstream outage must not take nodes out). */
const STALE_AFTER_SECONDS = 2 * 86_400;

/** The database's part of readiness: its dialect's name and a round trip. */
export interface DatabaseHealth {
  readonly name: string;
  ping(): Promise<void>;
}

export interface HealthRouteOptions {
  database: DatabaseHealth;
  ipLists: Pick<IpReputationStore, 'status' | 'lastError'>;
  recorder: Pick<ClickRecorder, 'status'>;
  /** Clicks judged without their detection history because the shared windows (Redis) did not answer. */
  clicksJudgedWithoutHistory: () => number;
  /** With REDIS_URL: whether the shared state answers. */
  redis?: () => 'ready' | 'unavailable';
  /** Seconds since the rollup journal was last drained into the periods (stats-folder.ts). */
  rollupsBehindSeconds: () => number;
}

/** /healthz: the process answers. /readyz: and its storage does too (load balancers take it out otherwise). */
const healthRoutes: FastifyPluginAsync<HealthRouteOptions> = async (
  app,
  { database: databaseHealth, ipLists, recorder, clicksJudgedWithoutHistory, redis, rollupsBehindSeconds },
) => {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const database = databaseHealth.name;
    const intel = {
      intel_lists: ipLists.status().map(({ id, kind, entries, fetched_at, age_seconds }) => ({
        id,
        kind,
        entries,
        fetched_at,
        age_seconds,
        stale: age_seconds > STALE_AFTER_SECONDS,
      })),
      intel_error: ipLists.lastError,
    };
    // Clicks redirected during an outage and not yet stored, and those lost since start.
    const { buffered, lost, spool } = recorder.status();
    // Without Redis a node keeps redirecting and recording, each node counting alone: reported, never a reason
    // to take every node out of the load balancer at once.
    const clicks = {
      buffered_clicks: buffered,
      lost_clicks: lost,
      // The outage spool (DATA_DIR/spool): clicks on disk not known stored yet, its size, and why it stopped if it did.
      ...(spool ? { spool } : {}),
      clicks_judged_without_history: clicksJudgedWithoutHistory(),
      // Reports count journal rows either way; a growing figure means they are read unmerged and get slower.
      rollups_behind_seconds: Math.round(rollupsBehindSeconds() * 10) / 10,
      ...(redis ? { redis: redis() } : {}),
    };
    try {
      await databaseHealth.ping();
      return { status: 'ready', database, ...clicks, ...intel };
    } catch {
      reply.status(503);
      return { status: 'unavailable', database, ...clicks, ...intel };
    }
  });
};

export default healthRoutes;
