import { Redis } from 'ioredis';
import { CLAIM_SCRIPT, OBSERVE_SCRIPT } from './redis-detection-window-store.ts';
import { CONSUME_SCRIPT } from './redis-rate-limiter.ts';

/** The scripts the shared counters run, as ioredis commands (EVALSHA, falling back to EVAL once per connection). */
export interface RedisScripts {
  observeWindows(device: string, ip: string, ipDevices: string, subnet: string, ...args: Array<string | number>): Promise<number[]>;
  claimWindow(key: string, marks: string, cutoff: number, mark: number, kind: 'distinct' | 'list', retentionMs: number): Promise<string[]>;
  consumeRate(keyCount: number, ...keysThenArgs: Array<string | number>): Promise<number[]>;
}

export type SharedRedis = Redis & RedisScripts;

/** Opens a connection for commands (not for subscriptions) with the counters' scripts defined. */
export function openRedis(url: string): SharedRedis {
  const redis = new Redis(url, {
    // A click must not wait forever on a Redis that is gone: commands fail fast and the tracker reports it.
    maxRetriesPerRequest: 2,
    enableAutoPipelining: true,
    lazyConnect: false,
  });
  redis.defineCommand('observeWindows', { numberOfKeys: 4, lua: OBSERVE_SCRIPT });
  redis.defineCommand('claimWindow', { numberOfKeys: 2, lua: CLAIM_SCRIPT });
  redis.defineCommand('consumeRate', { lua: CONSUME_SCRIPT });
  return redis as SharedRedis;
}
