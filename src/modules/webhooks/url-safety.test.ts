import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkTargetUrl, isPublicAddress, resolveTarget, UnsafeTargetError, type Resolve } from './url-safety.ts';
import { MAX_RESPONSE_BYTES, sendWebhook } from './outbox/http-sender.ts';

test('only public unicast addresses are public', () => {
  for (const address of ['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
    assert.equal(isPublicAddress(address), true, address);
  const refused = [
    '127.0.0.1',
    '10.1.2.3',
    '172.31.0.1',
    '192.168.0.1',
    '169.254.169.254',
    '100.100.100.200',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::7f00:1',
    '2002:7f00:1::',
    'not-an-ip',
  ];
  for (const address of refused) assert.equal(isPublicAddress(address), false, address);
});

test('IPv6 forms that embed an IPv4 address are refused, whatever the IPv4 address', async () => {
  const embedded = [
    // IPv4-compatible, as written and as the URL parser normalises it.
    '::127.0.0.1',
    '::7f00:1',
    '::10.0.0.1',
    '::a9fe:a9fe',
    '::8.8.8.8',
    // IPv4-translated (RFC 6145).
    '::ffff:0:127.0.0.1',
    '::ffff:0:a00:1',
    // NAT64, well-known and local-use prefixes.
    '64:ff9b::127.0.0.1',
    '64:ff9b::a00:1',
    '64:ff9b::808:808',
    '64:ff9b:1::a00:1',
    // 6to4 of private, loopback and metadata addresses, and any other.
    '2002:a00:1::1',
    '2002:c0a8:1::',
    '2002:a9fe:a9fe::1',
    '2002:808:808::1',
    // Teredo.
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
  ];
  for (const address of embedded) assert.equal(isPublicAddress(address), false, address);
  for (const url of [
    'http://[::127.0.0.1]/',
    'http://[::7f00:1]:8080/hook',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:0:127.0.0.1]/',
    'http://[64:ff9b::169.254.169.254]/latest/meta-data/',
    'http://[2002:7f00:1::1]/',
  ]) {
    await assert.rejects(checkTargetUrl(url, false), UnsafeTargetError, url);
  }
  // Ordinary public IPv6 and the IPv4-mapped form of a public address stay allowed.
  for (const address of ['2606:4700:4700::1111', '2a00:1450:4001:82a::200e', '::ffff:8.8.8.8', '2001:4860:4860::8888'])
    assert.equal(isPublicAddress(address), true, address);
});

const resolver =
  (answers: Record<string, string[]>): Resolve =>
  async (host) =>
    (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

test('a name is refused when any of its addresses is not public', async () => {
  const resolve = resolver({
    'mixed.test': ['93.184.215.14', '10.0.0.1'],
    'public.test': ['93.184.215.14'],
    'nothing.test': [],
  });
  await assert.rejects(resolveTarget(new URL('https://mixed.test/'), false, resolve), UnsafeTargetError);
  await assert.rejects(resolveTarget(new URL('https://nothing.test/'), false, resolve), UnsafeTargetError);
  assert.equal((await resolveTarget(new URL('https://public.test/'), false, resolve)).address, '93.184.215.14');
  assert.equal(
    (await resolveTarget(new URL('https://mixed.test/'), true, resolve)).address,
    '93.184.215.14',
    'the operator may allow private targets',
  );
});

test('create-time check: refused addresses and unknown names are errors, a DNS outage is not', async () => {
  const outage: Resolve = async () => {
    throw Object.assign(new Error('temporary failure'), { code: 'EAI_AGAIN' });
  };
  const missing: Resolve = async () => {
    throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  };
  await checkTargetUrl('https://later.test/hook', false, outage);
  await assert.rejects(checkTargetUrl('https://typo.test/hook', false, missing), /does not resolve/);
  await assert.rejects(checkTargetUrl('gopher://x.test/', false, outage), /http or https/);
  await assert.rejects(checkTargetUrl('http://[::1]:80/', false, outage), /non-public/);
});

test('delivery re-checks DNS and connects to the checked address (rebinding), reading at most 64 KiB', async () => {
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    req.resume();
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('x'.repeat(MAX_RESPONSE_BYTES * 3));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const base = { body: '{}', headers: { 'content-type': 'application/json' }, timeoutMs: 2_000 };
    // The name now points at loopback: refused without a connection.
    const rebound = await sendWebhook({
      ...base,
      url: `http://hooks.test:${port}/`,
      allowPrivate: false,
      resolve: resolver({ 'hooks.test': ['127.0.0.1'] }),
    });
    assert.equal(rebound.statusCode, null);
    assert.equal(rebound.error, 'refused: the target is not a public address', 'which address is not said');
    assert.equal(hits, 0);
    // Allowed, the connection goes to the resolved address even though the name exists nowhere else.
    const allowed = await sendWebhook({
      ...base,
      url: `http://hooks.test:${port}/`,
      allowPrivate: true,
      resolve: resolver({ 'hooks.test': ['127.0.0.1'] }),
    });
    assert.equal(allowed.statusCode, 500);
    assert.equal(hits, 1);
    assert.equal(allowed.responseExcerpt?.length, 500, 'a short excerpt is kept');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
