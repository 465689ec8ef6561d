// One autocannon phase, with sub-millisecond latencies recorded from its 'response' events (autocannon's own
// histogram keeps whole milliseconds, and under overallRate pads itself with 1 ms coordinated-omission fill).
import autocannon from 'autocannon';
import type { Traffic } from './traffic.ts';
import { percentile } from './paced.ts';

export interface PhaseOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationS?: number;
  readonly amount?: number;
  readonly overallRate?: number;
  readonly traffic: Traffic;
  /** Keep every latency (off for long soaks). */
  readonly recordLatencies?: boolean;
  /** Called on every response, e.g. to track soak progress. */
  readonly onResponse?: () => void;
}

export interface PhaseResult {
  readonly durationS: number;
  /** Completed requests per second over the whole phase. */
  readonly rps: number;
  readonly completed: number;
  /** Requests written, answered or not (autocannon drops the ones in flight when a duration ends). */
  readonly sent: number;
  readonly statusCounts: Record<string, number>;
  readonly redirects: number;
  /** Non-302 responses, socket errors and timeouts. */
  readonly failures: number;
  readonly errors: number;
  readonly timeouts: number;
  /** ms, from our own recording (sub-ms). */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** ms, autocannon's own histogram (whole ms; coordinated-omission corrected when a rate is set). */
  readonly autocannonP50: number;
  readonly autocannonP99: number;
}

class Samples {
  private values = new Float64Array(1 << 16);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
  sorted(): Float64Array {
    return this.values.slice(0, this.length).sort();
  }
}

export async function runPhase(options: PhaseOptions): Promise<PhaseResult> {
  const samples = new Samples();
  // autocannon's own count of requests sent is off under overallRate (it adds each connection's rate budget
  // up front), and it drops the requests in flight when the phase ends: count the requests built instead.
  let built = 0;
  const setupRequest = options.traffic.setupRequest;
  const countingSetup: typeof setupRequest = (request, context) => {
    built++;
    return setupRequest(request, context);
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationS ?? 10 }),
        ...(options.overallRate !== undefined ? { overallRate: options.overallRate } : {}),
        timeout: 10,
        requests: [{ setupRequest: countingSetup }],
      },
      (error, value) => (error ? reject(error) : resolve(value)),
    );
    const record = options.recordLatencies !== false;
    const onResponse = options.onResponse;
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      if (record) samples.push(responseTime);
      if (onResponse) onResponse();
    });
  });
  const statusCounts: Record<string, number> = {};
  let completed = 0;
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) {
    statusCounts[status] = count;
    completed += count;
  }
  const redirects = statusCounts['302'] ?? 0;
  const sorted = samples.sorted();
  return {
    durationS: result.duration,
    rps: completed / result.duration,
    completed,
    sent: Math.max(built, completed + result.errors),
    statusCounts,
    redirects,
    // autocannon counts a timeout as an error too.
    failures: completed - redirects + result.errors,
    errors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
    autocannonP50: result.latency.p50,
    autocannonP99: result.latency.p99,
  };
}
