// The part of autocannon 8's programmatic API that the tracker benchmark uses (the package ships no types).
// Read off node_modules/autocannon/README.md and lib/{init,run,requestIterator,httpRequestBuilder}.js.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    interface RequestParams {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
    }

    /** A request entry; setupRequest runs before every request it sends (the buffer is rebuilt each time). */
    interface Request extends RequestParams {
      setupRequest?: (request: RequestParams, context: Record<string, unknown>) => RequestParams | null;
    }

    interface Options {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Total requests; overrides duration. */
      amount?: number;
      /** Requests per second for all connections together: a budget per connection per wall-clock second, not pacing. */
      overallRate?: number;
      connectionRate?: number;
      ignoreCoordinatedOmission?: boolean;
      pipelining?: number;
      /** Seconds. */
      timeout?: number;
      workers?: number;
      headers?: Record<string, string>;
      requests?: Request[];
      excludeErrorStats?: boolean;
    }

    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      sent?: number;
      p0_001: number;
      p0_01: number;
      p0_1: number;
      p1: number;
      p2_5: number;
      p10: number;
      p25: number;
      p50: number;
      p75: number;
      p90: number;
      p97_5: number;
      p99: number;
      p99_9: number;
      p99_99: number;
      p99_999: number;
    }

    interface Result {
      url: string;
      /** Milliseconds; every status counts unless excludeErrorStats. */
      latency: Histogram;
      /** Requests per second sampled each second. */
      requests: Histogram;
      throughput: Histogram;
      errors: number;
      timeouts: number;
      mismatches: number;
      /** Counts 3xx too: useless for a redirector, read statusCodeStats. */
      non2xx: number;
      resets: number;
      duration: number;
      start: Date;
      finish: Date;
      connections: number;
      pipelining: number;
      statusCodeStats: Record<string, { count: number }>;
      '1xx': number;
      '2xx': number;
      '3xx': number;
      '4xx': number;
      '5xx': number;
    }

    interface Instance extends EventEmitter {
      stop(): void;
    }
  }

  function autocannon(
    options: autocannon.Options,
    callback: (error: Error | null, result: autocannon.Result) => void,
  ): autocannon.Instance;

  export = autocannon;
}
