import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebhook } from './http-sender.ts';
import { DELIVERY_ERRORS, presentDeliveryError } from './delivery-error.ts';
import type { Resolve } from '../url-safety.ts';

const base = { body: '{}', headers: { 'content-type': 'application/json' }, allowPrivate: true };

/** No digits of an address or a port, no error code: the record tells nothing about the network. */
function assertNoNetworkDetail(error: string | null, port: number): void {
  assert.ok(error !== null);
  assert.doesNotMatch(error, /127\.0\.0\.1|::1|\d+\.\d+\.\d+\.\d+/);
  assert.ok(!error.includes(String(port)), `${error} names the port`);
  assert.doesNotMatch(error, /E[A-Z]{4,}/, `${error} shows a socket error code`);
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

test('a closed port is "connection refused", without its address or port', async () => {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  const result = await sendWebhook({ ...base, url: `http://127.0.0.1:${port}/hook`, timeoutMs: 2_000 });
  assert.equal(result.statusCode, null);
  assert.equal(result.error, DELIVERY_ERRORS.refused);
  assertNoNetworkDetail(result.error, port);
});

test('a receiver that never answers is "timed out"', async () => {
  const server = createServer(() => undefined);
  const port = await listen(server);
  try {
    const result = await sendWebhook({ ...base, url: `http://127.0.0.1:${port}/`, timeoutMs: 200 });
    assert.equal(result.error, DELIVERY_ERRORS.timedOut);
    assertNoNetworkDetail(result.error, port);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a name that does not resolve, or a DNS outage, is "DNS lookup failed"', async () => {
  const notFound: Resolve = async () => {
    throw Object.assign(new Error('getaddrinfo ENOTFOUND hooks.internal'), { code: 'ENOTFOUND' });
  };
  const outage: Resolve = async () => {
    throw Object.assign(new Error('queryA ECONNREFUSED 10.0.0.2:53'), { code: 'ECONNREFUSED' });
  };
  const nothing: Resolve = async () => [];
  for (const resolve of [notFound, outage, nothing]) {
    const result = await sendWebhook({ ...base, url: 'http://hooks.internal:8443/', timeoutMs: 500, resolve });
    assert.equal(result.error, DELIVERY_ERRORS.dns);
    assertNoNetworkDetail(result.error, 8443);
  }
});

test('a receiver’s own HTTP error is kept as it is', async () => {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(503).end('busy');
  });
  const port = await listen(server);
  try {
    const result = await sendWebhook({ ...base, url: `http://127.0.0.1:${port}/`, timeoutMs: 2_000 });
    assert.equal(result.statusCode, 503);
    assert.equal(result.error, 'HTTP 503');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('attempts stored with raw errors before are shown through the same phrases', () => {
  const cases: Array<[string | null, string | null]> = [
    ['ECONNREFUSED: connect ECONNREFUSED 10.0.0.5:22', DELIVERY_ERRORS.refused],
    ['ETIMEDOUT: connect ETIMEDOUT 10.0.0.6:3306', DELIVERY_ERRORS.timedOut],
    ['EHOSTUNREACH: connect EHOSTUNREACH 10.9.9.9:80', DELIVERY_ERRORS.unreachable],
    ['ECONNRESET: socket hang up', DELIVERY_ERRORS.reset],
    ['Timed out after 10000 ms', DELIVERY_ERRORS.timedOut],
    ['DNS: getaddrinfo ENOTFOUND db.internal', DELIVERY_ERRORS.dns],
    [
      'Refused: db.internal resolves to 10.0.0.7, a loopback, private, link-local or otherwise non-public address',
      DELIVERY_ERRORS.unsafe,
    ],
    ['socket hang up at 10.0.0.8:25', DELIVERY_ERRORS.other],
    ['HTTP 500', 'HTTP 500'],
    [DELIVERY_ERRORS.refused, DELIVERY_ERRORS.refused],
    [null, null],
  ];
  for (const [stored, shown] of cases) assert.equal(presentDeliveryError(stored), shown, String(stored));
});
