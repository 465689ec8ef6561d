import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { DIALECTS } from '../helpers/dialects.ts';
import { CHROME_UA, startHttpApp, type HttpTestApp } from '../helpers/http-app.ts';
import { createClickListener } from '../../src/routes/click-listener.ts';
import { installErrorHandlers } from '../../src/http/error-handler.ts';
import { AppError } from '../../src/errors.ts';

/** One raw HTTP/1.1 exchange on its own connection (no client library adds or rewrites headers). */
function exchange(
  port: number,
  head: string,
  body = '',
): Promise<{ status: number; headers: Map<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\r\n\r\n');
      if (end === -1) return;
      const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
      const headers = new Map(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 2)]),
      );
      const length = head.startsWith('HEAD ') ? 0 : Number(headers.get('content-length') ?? 0);
      if (text.length < end + 4 + length) return;
      socket.destroy();
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: text.slice(end + 4, end + 4 + length) });
    });
    socket.on('error', reject);
    socket.write(`${head}\r\n\r\n${body}`);
  });
}

const CLICK_ID = /clk_[A-Za-z0-9]+/g;

describe('the lean /c/ path answers as the Fastify route does', () => {
  let t: HttpTestApp;
  let port: number;
  let campaign: { id: number; uuid: string; token: string };
  let blocking: { uuid: string };
  let withoutDestination: { uuid: string };
  let inactive: { id: number; uuid: string; token: string };
  before(async () => {
    t = await startHttpApp(DIALECTS[0]!, { TRUST_PROXY: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
    campaign = await t.createCampaign({
      destination_url: 'https://shop.example/land?cid={clickid}&s={sub1}&c={country}&q={q}',
    });
    blocking = await t.createCampaign({ fraud_action: 'block' });
    withoutDestination = await t.createCampaign({ destination_url: null });
    inactive = await t.createCampaign();
    await t.request({
      method: 'PUT',
      url: `/api/v1/campaigns/${inactive.id}`,
      token: inactive.token,
      payload: { status: 'inactive' },
    });
  });
  after(async () => {
    await t.app.close();
    await t.storage.dispose();
  });

  const cases = (): [string, 'GET' | 'HEAD', string, Record<string, string>][] => [
    ['a click with a query', 'GET', `/c/${campaign.uuid}?sub1=a&sub1=b&q=%20y+z`, {}],
    ['a trailing slash', 'GET', `/c/${campaign.uuid}/?sub1=a`, {}],
    ['a fragment before the query', 'GET', `/c/${campaign.uuid}#frag?sub1=a`, {}],
    ['broken encoding in the query', 'GET', `/c/${campaign.uuid}?sub1=%E0%A4%A&q=%zz&%=1`, {}],
    ['HEAD', 'HEAD', `/c/${campaign.uuid}?sub1=a`, {}],
    ['an unknown campaign', 'GET', '/c/doesnotexist123', {}],
    ['HEAD of an unknown campaign', 'HEAD', '/c/doesnotexist123', {}],
    ['a bad uuid', 'GET', '/c/bad!chars', {}],
    ['an over-long uuid', 'GET', `/c/${'a'.repeat(40)}`, {}],
    ['an inactive campaign', 'GET', `/c/${inactive.uuid}`, {}],
    ['a prefetch', 'GET', `/c/${campaign.uuid}`, { 'sec-purpose': 'prefetch' }],
    ['a link preview', 'GET', `/c/${campaign.uuid}`, { 'user-agent': 'Slackbot-LinkExpanding 1.0' }],
    ['a blocked bot', 'GET', `/c/${blocking.uuid}`, { 'user-agent': 'python-requests/2.31.0' }],
    ['no destination', 'GET', `/c/${withoutDestination.uuid}`, {}],
    ['HEAD without a destination', 'HEAD', `/c/${withoutDestination.uuid}`, {}],
  ];

  test('status, headers and body match app.inject (Fastify route) for every kind of answer', async () => {
    for (const [name, method, path, extra] of cases()) {
      const headers = { 'user-agent': CHROME_UA, accept: 'text/html', 'x-forwarded-for': '84.128.1.1', ...extra };
      const lean = await exchange(
        port,
        [
          `${method} ${path} HTTP/1.1`,
          'Host: track.test',
          ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
        ].join('\r\n'),
      );
      const routed = await t.app.inject({ method, url: path, headers });
      assert.equal(lean.status, routed.statusCode, name);
      for (const header of ['cache-control', 'content-type', 'content-length']) {
        assert.equal(lean.headers.get(header), routed.headers[header], `${name}: ${header}`);
      }
      assert.equal(
        lean.headers.get('location')?.replace(CLICK_ID, 'clk_'),
        (routed.headers.location as string | undefined)?.replace(CLICK_ID, 'clk_'),
        `${name}: location`,
      );
      assert.equal(lean.body, method === 'HEAD' ? '' : routed.body, `${name}: body`);
      assert.equal(lean.headers.get('keep-alive'), 'timeout=72', `${name}: Fastify's keep-alive timeout`);
    }
  });

  test("the recorded address is X-Forwarded-For's from a trusted proxy, the peer's when it is forged", async () => {
    const clickOf = async (forwardedFor: string) => {
      const response = await t.visit(`/c/${campaign.uuid}`, { 'x-forwarded-for': forwardedFor });
      assert.equal(response.status, 302);
      const id = new URL(response.headers.get('location')!).searchParams.get('cid')!;
      return (await t.request({ method: 'GET', url: `/api/v1/clicks/${id}`, token: campaign.token })).json().data;
    };
    assert.equal((await clickOf('10.0.0.9, 84.128.7.7')).ip, '84.128.7.7');
    assert.equal((await clickOf('not-an-ip, <script>')).ip, '127.0.0.1');
  });

  test('a request with a body is handed to Fastify, which answers it as before', async () => {
    const response = await exchange(
      port,
      `GET /c/${campaign.uuid} HTTP/1.1\r\nHost: track.test\r\nUser-Agent: ${CHROME_UA}\r\nContent-Length: 2`,
      'ab',
    );
    assert.equal(response.status, 302);
  });
});

describe('the lean /c/ path: errors, hand-over and closing', () => {
  const logged: { level: string; message: string }[] = [];
  const log = {
    error: (_fields: unknown, message: string) => logged.push({ level: 'error', message }),
    warn: (_fields: unknown, message: string) => logged.push({ level: 'warn', message }),
  } as unknown as FastifyBaseLogger;
  let failure: unknown;
  let handedOn = 0;
  let server: Server;
  let port: number;
  const listener = createClickListener(['127.0.0.1']);
  before(async () => {
    listener.attach({
      answer: (uuid) =>
        uuid === 'fails'
          ? Promise.reject(failure)
          : Promise.resolve({ status: 302, location: `https://shop.example/${uuid}` }),
      log,
      isUnavailable: (error) => error instanceof Error && error.message === 'database gone',
    });
    server = listener.serverFactory(
      (_request: IncomingMessage, response: ServerResponse) => {
        handedOn++;
        response.writeHead(299).end();
      },
      { keepAliveTimeout: 72_000, requestTimeout: 30_000 },
    ) as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** What Fastify's error handler answers for the same error (the reference's format). */
  async function fastifyAnswer(error: unknown) {
    const app = Fastify({ logger: false });
    installErrorHandlers(app, (e) => e instanceof Error && e.message === 'database gone');
    app.get('/c/:uuid', async () => {
      throw error;
    });
    const response = await app.inject({ method: 'GET', url: '/c/fails' });
    await app.close();
    return response;
  }

  test('a thrown error is a 500 in the reference format, logged; the server stays up', async () => {
    failure = new Error('boom: SELECT secret FROM somewhere');
    const response = await exchange(port, 'GET /c/fails HTTP/1.1\r\nHost: x');
    const reference = await fastifyAnswer(failure);
    assert.equal(response.status, 500);
    assert.equal(response.body, reference.body);
    assert.equal(response.headers.get('content-type'), reference.headers['content-type']);
    assert.deepEqual(JSON.parse(response.body), {
      success: false,
      error: { code: 'INTERNAL_ERROR', message: 'Internal server error' },
    });
    assert.deepEqual(logged.at(-1), { level: 'error', message: 'request failed' });
    const next = await exchange(port, 'GET /c/works HTTP/1.1\r\nHost: x');
    assert.equal(next.status, 302);
    assert.equal(next.headers.get('location'), 'https://shop.example/works');
  });

  test('storage unavailable is a 503 with Retry-After, and an AppError keeps its status and code', async () => {
    failure = new Error('database gone');
    const unavailable = await exchange(port, 'GET /c/fails HTTP/1.1\r\nHost: x');
    const reference = await fastifyAnswer(failure);
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers.get('retry-after'), reference.headers['retry-after']);
    assert.equal(unavailable.body, reference.body);
    assert.deepEqual(logged.at(-1), { level: 'warn', message: 'storage unavailable' });
    failure = new AppError('NOT_FOUND', 'Campaign not found');
    const appError = await exchange(port, 'GET /c/fails HTTP/1.1\r\nHost: x');
    assert.equal(appError.status, 404);
    assert.equal(appError.body, (await fastifyAnswer(failure)).body);
  });

  test('only GET|HEAD of /c/ and a plain uuid without a body is answered here; the rest goes to Fastify', async () => {
    const before = handedOn;
    for (const head of [
      'POST /c/abc HTTP/1.1\r\nHost: x\r\nContent-Length: 0',
      'GET /c/abc HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0',
      'GET /c/a%62c HTTP/1.1\r\nHost: x',
      'GET /c/abc// HTTP/1.1\r\nHost: x',
      'GET /C/abc HTTP/1.1\r\nHost: x',
      'GET /c/ HTTP/1.1\r\nHost: x',
      'GET /cc/abc HTTP/1.1\r\nHost: x',
      'GET http://x/c/abc HTTP/1.1\r\nHost: x',
      `GET /c/${'a'.repeat(33)} HTTP/1.1\r\nHost: x`,
    ]) {
      assert.equal((await exchange(port, head)).status, 299, head);
    }
    assert.equal(handedOn - before, 9);
    assert.equal((await exchange(port, 'HEAD /c/abc/?x=1 HTTP/1.1\r\nHost: x')).status, 302);
  });

  test('once detached (the app closing), every request goes to Fastify, which answers 503', async () => {
    listener.detach();
    const before = handedOn;
    assert.equal((await exchange(port, 'GET /c/abc HTTP/1.1\r\nHost: x')).status, 299);
    assert.equal(handedOn - before, 1);
  });
});
