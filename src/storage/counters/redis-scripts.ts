// The counters' script commands as a type of their own: each store declares the commands it calls, and
// redis-client.ts defines them from the stores' scripts; while the type lived in redis-client.ts, each
// store and the client imported each other.

/** The scripts the shared counters run, as ioredis commands (EVALSHA, falling back to EVAL once per connection). */
export interface RedisScripts {
  observeWindows(
    device: string,
    ip: string,
    ipDevices: string,
    subnet: string,
    subnetLines: string,
    ...args: Array<string | number>
  ): Promise<number[]>;
  claimWindow(
    key: string,
    marks: string,
    cutoff: number,
    mark: number,
    kind: 'distinct' | 'list',
    retentionMs: number,
  ): Promise<string[]>;
  consumeRate(keyCount: number, ...keysThenArgs: Array<string | number>): Promise<number[]>;
  failLock(
    failures: string,
    lock: string,
    lockAfterFailures: number,
    baseLockMs: number,
    maxLockMs: number,
    forgetAfterMs: number,
  ): Promise<number>;
  /** A plain command, not a script: the window store reads a subnet's lines with it on the late-finding path. */
  hgetall(key: string): Promise<Record<string, string>>;
}
