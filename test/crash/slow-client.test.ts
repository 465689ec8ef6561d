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
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200);
});
