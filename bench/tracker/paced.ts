// An open-loop load at a steady rate, for the latency a visitor sees when the server is not saturated.
//
// autocannon's overallRate is not that: each connection gets a budget per wall-clock second and spends it
// back to back at the start of the second, so at "half rate" every connection is busy for half a second and
// idle for the other half, and the server sees the same 50-deep queue as at full load. Its coordinated-
// omission correction also assumes a 1 ms interval between requests (ceil(1/rate)), which pads the histogram
// with fake samples. Here request i is due at start + i/rate, whatever happened before it; its latency is
// counted from that due time, so a request that waits for a free connection is charged for the wait.
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface PacedOptions {
  readonly host: string;
  readonly port: number;
  readonly rate: number;
  readonly durationS: number;
  readonly connections: number;
  readonly next: () => { path: string; headers: Record<string, string> };
  /** Per-request limit in ms; a request over it counts as a timeout and its connection is replaced. */
  readonly timeoutMs?: number;
}

export interface PacedResult {
  readonly sent: number;
  readonly completed: number;
  readonly durationS: number;
  readonly statusCounts: Record<string, number>;
  readonly errors: number;
  readonly timeouts: number;
  /** From due time to the end of the response, ms, sorted. */
  readonly latencies: Float64Array;
  /** From the write on the socket to the end of the response, ms, sorted. */
  readonly serviceTimes: Float64Array;
  /** Worst latency of the requests due in each 100 ms of the run, ms (0 where none completed): shows stalls in time. */
  readonly worstPer100Ms: Float64Array;
  /** Longest event-loop delay of this (the client's) process during the run, ms: a client stall inflates latency too. */
  readonly clientLoopMaxMs: number;
}

interface Pending {
  readonly due: number;
  readonly buffer: Buffer;
}

/** One keep-alive connection with one request in flight; parses just enough HTTP/1.1 to find each response's end. */
class Connection {
  private socket: Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private current: { due: number; sentAt: number; timer: NodeJS.Timeout } | undefined;
  private headerEnd = -1;
  private bodyLength = 0;
  private status = 0;
  private chunked = false;
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs: number,
    private readonly onDone: (connection: Connection, status: number, due: number, sentAt: number) => void,
    private readonly onFailure: (connection: Connection, kind: 'error' | 'timeout', due: number) => void,
  ) {
    this.socket = this.open();
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  private open(): Socket {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const lost = (): void => {
      if (socket === this.socket && !this.closed) this.fail('error');
    };
    socket.on('error', lost);
    socket.on('close', lost);
    return socket;
  }

  send(request: Pending): void {
    const sentAt = performance.now();
    const timer = setTimeout(() => this.fail('timeout'), this.timeoutMs);
    this.current = { due: request.due, sentAt, timer };
    this.socket.write(request.buffer);
  }

  private fail(kind: 'error' | 'timeout'): void {
    const current = this.current;
    const old = this.socket;
    this.socket = this.open();
    old.destroy();
    this.reset();
    if (current) {
      clearTimeout(current.timer);
      this.current = undefined;
      this.onFailure(this, kind, current.due);
    }
  }

  private reset(): void {
    this.buffered = Buffer.alloc(0);
    this.headerEnd = -1;
    this.bodyLength = 0;
    this.status = 0;
    this.chunked = false;
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
    if (this.current) clearTimeout(this.current.timer);
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    if (this.headerEnd < 0) {
      const end = this.buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.headerEnd = end + 4;
      const head = this.buffered.subarray(0, end).toString('latin1');
      this.status = Number(head.slice(9, 12));
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      this.bodyLength = length ? Number(length[1]) : 0;
      this.chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
    }
    const complete = this.chunked
      ? this.buffered.indexOf('0\r\n\r\n', this.headerEnd) >= 0
      : this.buffered.length >= this.headerEnd + this.bodyLength;
    if (!complete) return;
    const current = this.current;
    const status = this.status;
    this.reset();
    if (!current) return;
    clearTimeout(current.timer);
    this.current = undefined;
    this.onDone(this, status, current.due, current.sentAt);
  }
}

function requestBuffer(host: string, port: number, path: string, headers: Record<string, string>): Buffer {
  let text = `GET ${path} HTTP/1.1\r\nhost: ${host}:${port}\r\nconnection: keep-alive\r\n`;
  for (const name in headers) text += `${name}: ${headers[name]}\r\n`;
  return Buffer.from(`${text}\r\n`, 'latin1');
}

export async function runPaced(options: PacedOptions): Promise<PacedResult> {
  const { host, port, rate, durationS, connections: connectionCount, next } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const total = Math.max(1, Math.round(rate * durationS));
  const interval = 1000 / rate;
  const latencies = new Float64Array(total);
  const serviceTimes = new Float64Array(total);
  const statusCounts: Record<string, number> = {};
  const worstPer100Ms = new Float64Array(Math.ceil(durationS * 10) + 1);
  let start = 0;
  let completed = 0;
  let failed = 0;
  let errors = 0;
  let timeouts = 0;
  let sent = 0;
  const queue: Pending[] = [];
  const idle: Connection[] = [];

  const dispatch = (connection: Connection): void => {
    const request = queue.shift();
    if (request) connection.send(request);
    else idle.push(connection);
  };
  const onDone = (connection: Connection, status: number, due: number, sentAt: number): void => {
    const now = performance.now();
    latencies[completed] = now - due;
    const bucket = Math.min(worstPer100Ms.length - 1, Math.floor((due - start) / 100));
    worstPer100Ms[bucket] = Math.max(worstPer100Ms[bucket]!, now - due);
    serviceTimes[completed] = now - sentAt;
    completed++;
    statusCounts[status] = (statusCounts[status] ?? 0) + 1;
    dispatch(connection);
  };
  const onFailure = (connection: Connection, kind: 'error' | 'timeout', _due: number): void => {
    failed++;
    if (kind === 'timeout') timeouts++;
    else errors++;
    dispatch(connection);
  };
  const pool = Array.from({ length: connectionCount }, () => new Connection(host, port, timeoutMs, onDone, onFailure));
  idle.push(...pool);
  await sleep(50); // let the connections open, as autocannon does before it counts

  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  start = performance.now();
  while (sent < total) {
    const now = performance.now();
    // Every request due by now goes out (or queues for a connection), stamped with its due time.
    while (sent < total && start + sent * interval <= now) {
      const click = next();
      queue.push({ due: start + sent * interval, buffer: requestBuffer(host, port, click.path, click.headers) });
      sent++;
      const connection = idle.pop();
      if (connection) dispatch(connection);
    }
    await sleep(1);
  }
  const deadline = performance.now() + timeoutMs + 1000;
  while (completed + failed < sent && performance.now() < deadline) await sleep(5);
  const elapsed = (performance.now() - start) / 1000;
  loopDelay.disable();
  for (const connection of pool) connection.close();
  const sortedLatencies = latencies.slice(0, completed).sort();
  const sortedService = serviceTimes.slice(0, completed).sort();
  return {
    sent,
    completed,
    durationS: elapsed,
    statusCounts,
    errors,
    timeouts,
    latencies: sortedLatencies,
    serviceTimes: sortedService,
    worstPer100Ms,
    clientLoopMaxMs: loopDelay.max / 1e6,
  };
}

/** The p-th percentile (0–100) of sorted values, nearest rank. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}
