import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly receivedAt: number;
}

/** What the receiver answers: a status, or 'hang' to never answer (a dead or slow receiver). */
export type Answer = number | 'hang';

export interface WebhookReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Answers for the next requests, in order; then `fallback`. */
  answers: Answer[];
  fallback: Answer;
  /** Requests being answered right now (for the concurrency bound). */
  readonly open: () => number;
  readonly maxOpen: () => number;
  events(type?: string): Array<{
    id: string;
    type: string;
    created_at: string;
    data: Record<string, unknown>;
    previous_attributes?: Record<string, unknown>;
  }>;
  waitFor(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

/** A real HTTP receiver on 127.0.0.1 that records what it gets. */
export async function startReceiver(path = '/hook'): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  let open = 0;
  let maxOpen = 0;
  const receiver = {
    answers: [] as Answer[],
    fallback: 200 as Answer,
  };
  const server: Server = createServer((req, res) => {
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    res.on('close', () => (open -= 1));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() });
      const answer = receiver.answers.shift() ?? receiver.fallback;
      if (answer === 'hang') return;
      res
        .writeHead(answer, { 'content-type': 'text/plain' })
        .end(answer >= 200 && answer < 300 ? 'ok' : `failure ${answer}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return Object.assign(receiver, {
    url,
    requests,
    open: () => open,
    maxOpen: () => maxOpen,
    events(type?: string) {
      return requests
        .map((request) => JSON.parse(request.body))
        .filter((event) => type === undefined || event.type === type);
    },
    async waitFor(predicate: () => boolean, timeoutMs = 5_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}; received ${requests.length} requests`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** Polls an async check until it holds. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 5_000,
  what = 'condition',
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
