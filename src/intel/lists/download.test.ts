import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { download, DownloadError } from './download.ts';
import { FIXTURES, startFixtureServer } from './test-support.ts';

const limits = { timeoutMs: 2000, maxBytes: 1024 * 1024 };

test('downloads over HTTP and from file: URLs', async () => {
  const server = await startFixtureServer();
  try {
    assert.match(await download(server.url('/torbulkexitlist'), limits), /^185\.220\.100\.240\n/);
  } finally {
    await server.close();
  }
  assert.match(await download(pathToFileURL(join(FIXTURES, 'vpn.txt')).href, limits), /^# VPN provider ranges/);
});

test('every failure is one line: status, timeout, size, connection, missing file', async () => {
  const server = await startFixtureServer({
    '/500': { status: 500, body: 'oops' },
    '/hang': { hang: true },
    '/big': { body: 'x'.repeat(2000) },
    '/stream': { stream: 64 * 1024 },
  });
  const fails = async (url: string, options: Partial<typeof limits>, message: RegExp) => {
    await assert.rejects(
      download(url, { ...limits, ...options }),
      (error: unknown) =>
        (error instanceof DownloadError && message.test(error.message)) || assert.fail(`${url}: ${String(error)}`),
    );
  };
  try {
    await fails(server.url('/500'), {}, /^HTTP 500 Internal Server Error$/);
    await fails(server.url('/missing'), {}, /^HTTP 404 Not Found$/);
    await fails(server.url('/hang'), { timeoutMs: 150 }, /^timed out after 0.15 s$/);
    await fails(server.url('/big'), { maxBytes: 1000 }, /^larger than the 1000 bytes limit$/);
    await fails(server.url('/stream'), { maxBytes: 10_000 }, /^larger than the 10000 bytes limit$/);
  } finally {
    await server.close();
  }
  // A port nothing listens on (its server never served a request, so no pooled connection lingers).
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  await fails(
    `http://127.0.0.1:${port}/list.txt`,
    {},
    new RegExp(`^cannot download: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`),
  );
  await fails(pathToFileURL(join(FIXTURES, 'nope.txt')).href, {}, /^cannot read .*nope\.txt: ENOENT$/);
  await fails(pathToFileURL(join(FIXTURES, 'vpn.txt')).href, { maxBytes: 10 }, /^larger than the 10 bytes limit$/);
});
