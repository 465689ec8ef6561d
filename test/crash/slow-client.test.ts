import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { testConfig, testIntel } from '../helpers/test-app.ts';
import { DIALECTS, openTestStorage, type TestStorage } from '../helpers/dialects.ts';

let app: FastifyInstance;
let storage: TestStorage;
let port: number;

before(async () => {
  storage = openTestStorage(DIALECTS[0]!);
  app = await buildApp({
    config: testConfig(),
    storage,
    logger: false,
    intel: await testIntel(),
    requestTimeoutMs: 800,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
});

after(async () => {
  await app.close();
  await storage.dispose();
});

test('a client that drips its headers is cut off; the server keeps answering others', async () => {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  // Slowloris: headers that never end, a few bytes at a time.
  socket.write('GET /api/v1/campaigns HTTP/1.1\r\nHost: x\r\nX-Slow: ');
  const started = Date.now();
  const closed = await new Promise<{ ms: number; data: string }>((resolve) => {
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
    socket.on('close', () => resolve({ ms: Date.now() - started, data }));
    // Keep dripping a byte now and then, as a slowloris does.
    const drip = setInterval(() => (socket.writable ? socket.write('a') : clearInterval(drip)), 200);
    socket.on('close', () => clearInterval(drip));
  });
  assert.ok(closed.ms < 5_000, `cut after ${closed.ms} ms`);
  assert.match(closed.data, /^HTTP\/1\.1 408/, 'answered 408 Request Timeout before closing');
  assertErrorFormat(closed.data);
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200);
});

/** The answer's body is the reference's error format, whoever wrote it (Node, Fastify or a route). */
function assertErrorFormat(response: string): void {
  const body = response.slice(response.indexOf('\r\n\r\n') + 4);
  const parsed = JSON.parse(body) as { success: boolean; error: { code: string; message: string } };
  assert.equal(parsed.success, false);
  assert.equal(parsed.error.code, 'VALIDATION_ERROR');
  assert.equal(typeof parsed.error.message, 'string');
  assert.match(response, /\r\ncontent-type: application\/json; charset=utf-8\r\n/i);
}

/** Sends `head` (and drips `drip` every 100 ms) until the server closes; what it answered, and when. */
async function exchange(head: string, drip?: string): Promise<{ ms: number; data: string }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(head);
  const started = Date.now();
  return new Promise((resolve) => {
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
    socket.on('error', () => undefined);
    const timer = drip ? setInterval(() => socket.writable && socket.write(drip), 100) : undefined;
    // Far past the request timeout: a server that never cuts the client fails the test instead of hanging it.
    const giveUp = setTimeout(() => socket.destroy(), 10_000);
    socket.on('close', () => {
      if (timer) clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ ms: Date.now() - started, data });
    });
  });
}

test('a client that drips its body is cut at the request timeout too, with 408 in the error format', async () => {
  const body = '{"email":"a@b.example","password":"x"}';
  const closed = await exchange(
    `POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 10_000}\r\n\r\n${body.slice(0, 5)}`,
    ' ',
  );
  assert.ok(closed.ms < 5_000, `cut after ${closed.ms} ms (the timeout is 800 ms)`);
  assert.ok(closed.ms >= 700, `not before the timeout (${closed.ms} ms)`);
  assert.match(closed.data, /^HTTP\/1\.1 408/);
  assertErrorFormat(closed.data);
  assert.match(closed.data, /not received within/);
  // A body sent at an ordinary pace in the same time is unaffected.
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200);
});

test('headers over 16 KiB answer 431 in the error format', async () => {
  const closed = await exchange(`GET /api/v1/campaigns HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  assert.match(closed.data, /^HTTP\/1\.1 431/);
  assertErrorFormat(closed.data);
  assert.match(closed.data, /headers are too large/);
});
