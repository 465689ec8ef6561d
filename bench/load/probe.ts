// The API and dashboard probe of bench:load: one request every `everyMs`, round robin over PROBES,
// each latency recorded. It runs in a worker thread of its own (probe.worker.ts) so that what it
// measures is the server, not the wait behind autocannon's callbacks in the benchmark's main thread.
import { setTimeout as sleep } from 'node:timers/promises';

export interface Probe {
  readonly name: string;
  readonly path: string;
  readonly api: boolean;
}

export const PROBES: readonly Probe[] = [
  { name: 'GET /api/v1/campaigns', path: '/api/v1/campaigns', api: true },
  { name: 'GET /api/v1/stats', path: '/api/v1/stats', api: true },
  { name: 'GET /api/v2/analytics/countries', path: '/api/v2/analytics/countries', api: true },
  { name: 'GET /api/v1/clicks', path: '/api/v1/clicks', api: true },
  { name: 'GET / (dashboard)', path: '/', api: false },
];

export interface ProbeResult {
  latencies: Record<string, number[]>;
  failures: Record<string, number>;
}

/** Probes until `until()` says stop. */
export async function probe(base: string, token: string, everyMs: number, until: () => boolean): Promise<ProbeResult> {
  const latencies: Record<string, number[]> = Object.fromEntries(PROBES.map((p) => [p.name, []]));
  const failures: Record<string, number> = Object.fromEntries(PROBES.map((p) => [p.name, 0]));
  for (let i = 0; !until(); i++) {
    const target = PROBES[i % PROBES.length]!;
    const started = performance.now();
    try {
      const response = await fetch(`${base}${target.path}`, {
        headers: target.api ? { authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      if (response.status !== 200) failures[target.name]! += 1;
      else latencies[target.name]!.push(performance.now() - started);
    } catch {
      failures[target.name]! += 1;
    }
    const spent = performance.now() - started;
    if (spent < everyMs) await sleep(everyMs - spent);
  }
  return { latencies, failures };
}
