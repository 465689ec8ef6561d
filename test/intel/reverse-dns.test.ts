// Forward-confirmed reverse DNS against a DNS server on loopback: good PTR + A, a PTR whose name
// points elsewhere, a name outside the crawlers' domains, IPv6, a server that never answers, the cache.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CRAWLER_DNS_DOMAINS } from '../../src/detection/lists/verified-crawlers.ts';
import { createReverseDnsVerifier, type ReverseDnsOptions } from '../../src/intel/reverse-dns.ts';
import { startLoopbackDns, type LoopbackDns } from '../helpers/loopback-dns.ts';

let dns: LoopbackDns;

before(async () => {
  dns = await startLoopbackDns();
  // Google's documented example, and one of its crawlers inside Google Cloud.
  dns.ptr('66.249.66.1', 'crawl-66-249-66-1.googlebot.com.');
  dns.address('crawl-66-249-66-1.googlebot.com', '66.249.66.1');
  // An impostor who controls its own PTR record: the name is Google's, the name's address is not this one.
  dns.ptr('34.100.1.1', 'crawl-66-249-66-1.googlebot.com.');
  // A Google Cloud VM's own name: never looked up forward, it cannot vouch for a crawler.
  dns.ptr('35.186.1.1', '1.1.186.35.bc.googleusercontent.com.');
  dns.address('1.1.186.35.bc.googleusercontent.com', '35.186.1.1');
  dns.ptr('2001:4860:4801:10::1', 'crawl-2001-4860-4801-10--1.googlebot.com.');
  dns.address('crawl-2001-4860-4801-10--1.googlebot.com', '2001:4860:4801:10::1');
  dns.ptr('157.55.39.1', 'msnbot-157-55-39-1.search.msn.com.');
  dns.address('msnbot-157-55-39-1.search.msn.com', '157.55.39.1');
  dns.hang('20.100.1.1');
});
after(() => dns.close());

function verifier(overrides: Partial<ReverseDnsOptions> = {}) {
  return createReverseDnsVerifier({
    servers: [dns.server],
    timeoutMs: 500,
    domains: CRAWLER_DNS_DOMAINS,
    ...overrides,
  });
}

test('a PTR name under the crawler domains that resolves back is confirmed (IPv4, IPv6, Bing)', async () => {
  const check = verifier();
  assert.deepEqual(await check.lookup('66.249.66.1'), {
    names: ['crawl-66-249-66-1.googlebot.com'],
    confirmed: ['crawl-66-249-66-1.googlebot.com'],
    error: null,
  });
  assert.deepEqual((await check.lookup('2001:4860:4801:10::1')).confirmed, [
    'crawl-2001-4860-4801-10--1.googlebot.com',
  ]);
  assert.deepEqual((await check.lookup('157.55.39.1')).confirmed, ['msnbot-157-55-39-1.search.msn.com']);
  check.close();
});

test('a PTR name whose A record is another address is not confirmed', async () => {
  const check = verifier();
  assert.deepEqual(await check.lookup('34.100.1.1'), {
    names: ['crawl-66-249-66-1.googlebot.com'],
    confirmed: [],
    error: null,
  });
  check.close();
});

test('a name outside the crawler domains is reported but never looked up forward', async () => {
  const check = verifier();
  const before = dns.asked.length;
  assert.deepEqual(await check.lookup('35.186.1.1'), {
    names: ['1.1.186.35.bc.googleusercontent.com'],
    confirmed: [],
    error: null,
  });
  assert.deepEqual(dns.asked.slice(before), ['PTR 1.1.186.35.in-addr.arpa']);
  check.close();
});

test('no PTR record: an answer with no names (NXDOMAIN is an answer, not a failure)', async () => {
  const check = verifier();
  assert.deepEqual(await check.lookup('203.0.113.9'), { names: [], confirmed: [], error: null });
  check.close();
});

test('a server that never answers gives "timeout" within the deadline', async () => {
  const check = verifier({ timeoutMs: 300 });
  const started = Date.now();
  assert.deepEqual(await check.lookup('20.100.1.1'), { names: [], confirmed: [], error: 'timeout' });
  const took = Date.now() - started;
  assert.ok(took >= 250 && took < 2_000, `took ${took} ms`);
  check.close();
});

test('answers are cached, good and bad, for their time; a failure for a shorter one; one lookup for many askers', async () => {
  let clock = 1_000_000;
  const check = verifier({ now: () => clock, answerTtlMs: 60_000, errorTtlMs: 5_000, timeoutMs: 300 });
  assert.equal(check.cached('66.249.66.1'), undefined);
  const asked = dns.asked.length;
  const [first, second] = await Promise.all([check.lookup('66.249.66.1'), check.lookup('66.249.66.1')]);
  assert.equal(first, second);
  assert.equal(dns.asked.length - asked, 2, 'one PTR and one A question for both');
  assert.deepEqual(check.cached('66.249.66.1')?.confirmed, ['crawl-66-249-66-1.googlebot.com']);
  assert.deepEqual(check.cached('34.100.1.1'), undefined);
  await check.lookup('34.100.1.1');
  assert.deepEqual(check.cached('34.100.1.1')?.confirmed, [], 'a negative answer is cached too');
  await check.lookup('20.100.1.1');
  assert.equal(check.cached('20.100.1.1')?.error, 'timeout');

  clock += 5_001;
  assert.equal(check.cached('20.100.1.1'), undefined, 'a failure is retried sooner');
  assert.ok(check.cached('66.249.66.1'));
  clock += 60_000;
  assert.equal(check.cached('66.249.66.1'), undefined);
  assert.equal(check.cached('34.100.1.1'), undefined);
  // IPv4-mapped IPv6 is the IPv4 host.
  await check.lookup('::ffff:66.249.66.1');
  assert.ok(check.cached('66.249.66.1'));
  check.close();
});

test('past maxPending a lookup answers "busy" at once, uncached; text that is no address is refused', async () => {
  const check = verifier({ maxPending: 1, timeoutMs: 300 });
  const hung = check.lookup('20.100.1.1');
  assert.deepEqual(await check.lookup('66.249.66.1'), { names: [], confirmed: [], error: 'busy' });
  assert.equal(check.cached('66.249.66.1'), undefined);
  assert.deepEqual(await check.lookup('not an ip'), { names: [], confirmed: [], error: 'not an address' });
  await hung;
  check.close();
});
