import type { FastifyBaseLogger } from 'fastify';

/**
 * What one kind of outbox (webhook deliveries, postbacks to traffic sources) tells the runner. The
 * runner owns the mechanics they share: polling, leases, per-target and overall concurrency, waking,
 * closing; the kind owns its table and what one attempt does.
 */
export interface OutboxKind {
  /** For log lines: `webhook`, `postback`. */
  readonly name: string;
  /** Due, unleased deliveries, oldest due first; `target` groups those whose receiver is the same. */
  findDue(now: number, limit: number): Promise<Array<{ id: number; target: number }>>;
  /** Takes the lease with a conditional update: true only for the one worker whose update matched. */
  claim(id: number, now: number, leaseUntil: number): Promise<boolean>;
  /** The target of a delivery (for deliverNow), undefined when it does not exist. */
  targetOf(id: number): Promise<number | undefined>;
  /** Send and record one claimed delivery. A throw leaves the lease to run out, so it is tried again. */
  attempt(id: number): Promise<void>;
  /** Hourly housekeeping (old rows); returns how many went. */
  prune?(now: number): Promise<number>;
}

export interface OutboxRunnerOptions {
  readonly pollIntervalMs: number;
  /** The bound of one attempt: the lease is longer, so a live worker never loses it mid-send. */
  readonly timeoutMs: number;
  /** Deliveries to one target in flight at once: a slow receiver holds only its own slots. */
  readonly perTargetConcurrency: number;
  /** Deliveries in flight in this process. */
  readonly maxConcurrency: number;
}

export interface OutboxRunner {
  start(): void;
  /** Polls now instead of at the next interval (after an enqueue this process knows of). */
  wake(): void;
  /** One attempt right away, outside the schedule; false when another worker holds it. */
  deliverNow(id: number): Promise<boolean>;
  /** Stops polling and waits for attempts in flight (each bounded by the timeout). */
  close(): Promise<void>;
}

const PRUNE_EVERY_MS = 3_600_000;

export function createOutboxRunner(
  kind: OutboxKind,
  options: OutboxRunnerOptions,
  deps: { log: FastifyBaseLogger; now: () => number },
): OutboxRunner {
  const { log, now } = deps;
  // Longer than any attempt, so a live worker never loses its lease mid-send; a dead one's lease runs out.
  const leaseMs = options.timeoutMs * 2 + 5_000;
  const inFlight = new Map<number, number>();
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let started = false;
  let closed = false;
  let prunedAt = 0;

  const track = (target: number, id: number): Promise<void> => {
    inFlight.set(target, (inFlight.get(target) ?? 0) + 1);
    const work = kind
      .attempt(id)
      .catch((error: unknown) =>
        log.error({ err: error, deliveryId: id }, `${kind.name} delivery attempt failed to complete`),
      )
      .finally(() => {
        const left = (inFlight.get(target) ?? 1) - 1;
        if (left > 0) inFlight.set(target, left);
        else inFlight.delete(target);
        running.delete(work);
        if (!closed) schedule(0);
      });
    running.add(work);
    return work;
  };

  const tick = async () => {
    const at = now();
    if (kind.prune && at - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = at;
      const pruned = await kind.prune(at);
      if (pruned > 0) log.info({ pruned }, `old ${kind.name} deliveries deleted`);
    }
    const due = await kind.findDue(at, options.maxConcurrency * 4);
    for (const delivery of due) {
      if (closed || running.size >= options.maxConcurrency) break;
      if ((inFlight.get(delivery.target) ?? 0) >= options.perTargetConcurrency) continue;
      if (await kind.claim(delivery.id, at, at + leaseMs)) void track(delivery.target, delivery.id);
    }
  };

  const schedule = (delayMs: number) => {
    if (closed || !started) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (ticking) return schedule(options.pollIntervalMs);
      ticking = tick()
        .catch((error: unknown) => log.error({ err: error }, `${kind.name} outbox poll failed`))
        .finally(() => {
          ticking = undefined;
          if (!timer) schedule(options.pollIntervalMs);
        });
    }, delayMs);
  };

  return {
    start() {
      if (started || closed) return;
      started = true;
      schedule(0);
    },
    wake: () => schedule(0),
    async deliverNow(id) {
      const at = now();
      const target = await kind.targetOf(id);
      if (target === undefined || !(await kind.claim(id, at, at + leaseMs))) return false;
      await track(target, id);
      return true;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await ticking;
      await Promise.all([...running]);
    },
  };
}
