import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What a network's postback endpoint answers: a status, or 'hang' to never answer. */
export type PostbackAnswer = number | 'hang';

export interface PostbackReceiver {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly port: number;
  /** The request lines received (`GET /pb?… HTTP/1.1`), exactly as their bytes arrived, in order. */
  readonly lines: string[];
  /** The raw bytes of each request's head (request line and headers). */
  readonly heads: Buffer[];
  /** Answers by path prefix (`/ok`, `/fail`, `/hang`); anything else answers 200. */
  answerFor(path: string): PostbackAnswer;
  waitFor(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A network's postback endpoint on 127.0.0.1 (node:http). It reads the raw bytes of every connection,
 * so a test can compare the request line byte for byte, not as node:http parsed and decoded it.
 * The sender opens a fresh connection per call (agent: false), so a connection's first line is its request.
 */
export async function startPostbackReceiver(
  answers: Record<string, PostbackAnswer> = { '/ok': 200, '/fail': 500, '/hang': 'hang' },
  listenPort = 0,
): Promise<PostbackReceiver> {
  const lines: string[] = [];
  const heads: Buffer[] = [];
  const answerFor = (path: string): PostbackAnswer => {
    for (const [prefix, answer] of Object.entries(answers)) if (path.startsWith(prefix)) return answer;
    return 200;
  };
  const server: Server = createServer((req, res) => {
    req.resume();
    const answer = answerFor(req.url ?? '');
    if (answer === 'hang') return;
    res
      .writeHead(answer, { 'content-type': 'text/plain' })
      .end(answer < 300 ? 'OK: conversion accepted' : `error ${answer}`);
  });
  server.on('connection', (socket: Socket) => {
    let head = Buffer.alloc(0);
    let done = false;
    socket.on('data', (chunk: Buffer) => {
      if (done) return;
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      done = true;
      heads.push(head.subarray(0, end + 4));
      lines.push(head.subarray(0, head.indexOf('\r\n')).toString('latin1'));
    });
  });
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    lines,
    heads,
    answerFor,
    async waitFor(predicate, timeoutMs = 5_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; received ${lines.join(' | ')}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
