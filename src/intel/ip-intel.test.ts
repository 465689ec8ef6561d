import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIpIntel, openIpIntel } from './ip-intel.ts';
import type { IpIntel } from './ip-intel.ts';
import type { AsnInfo, AsnLookup } from './asn.ts';
import type { Geo, GeoLookup } from './geo.ts';

function counting<T>(answers: Record<string, T>): { lookup(ip: string): T | undefined; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    lookup(ip: string) {
      calls.push(ip);
      return answers[ip];
    },
  };
}

describe('createIpIntel with stub lookups', () => {
  const geoAnswers: Record<string, Geo> = { '1.2.3.4': { country: 'FR', region: 'Île-de-France', city: 'Paris' } };
  const asnAnswers: Record<string, AsnInfo> = {
    '1.2.3.4': { asn: 64500, org: 'Example' },
    '5.6.7.8': { asn: 64501, org: '' },
  };

  test('merges geo and ASN, and fills gaps with null', () => {
    const intel = createIpIntel({ geo: counting(geoAnswers), asn: counting(asnAnswers) });
    assert.deepEqual(intel.lookupIp('1.2.3.4'), {
      country: 'FR',
      region: 'Île-de-France',
      city: 'Paris',
      asn: 64500,
      asOrg: 'Example',
    });
    assert.deepEqual(intel.lookupIp('5.6.7.8'), { country: null, region: null, city: null, asn: 64501, asOrg: null });
    assert.deepEqual(intel.lookupIp('9.9.9.9'), { country: null, region: null, city: null, asn: null, asOrg: null });
  });

  test('repeat IPs and user agents are answered from the cache', () => {
    const geo = counting(geoAnswers);
    const asn = counting(asnAnswers);
    const intel = createIpIntel({ geo, asn });
    const first = intel.lookupIp('1.2.3.4');
    assert.equal(intel.lookupIp('1.2.3.4'), first);
    assert.deepEqual(geo.calls, ['1.2.3.4']);
    assert.deepEqual(asn.calls, ['1.2.3.4']);
    const ua = intel.lookupUserAgent('curl/8.5.0');
    assert.equal(intel.lookupUserAgent('curl/8.5.0'), ua);
  });

  test('cached results are frozen so one caller cannot corrupt another', () => {
    const intel = createIpIntel({ geo: counting(geoAnswers), asn: counting(asnAnswers) });
    assert.throws(() => {
      (intel.lookupIp('1.2.3.4') as { country: string | null }).country = 'XX';
    }, TypeError);
    assert.ok(Object.isFrozen(intel.lookupUserAgent('curl/8.5.0')));
  });

  test('the cache evicts beyond its size, and size 0 disables it', () => {
    const geo = counting(geoAnswers);
    const intel = createIpIntel({ geo, asn: counting(asnAnswers), cacheSize: { ip: 2 } });
    for (const ip of ['1.1.1.1', '2.2.2.2', '3.3.3.3', '1.1.1.1']) intel.lookupIp(ip);
    assert.deepEqual(geo.calls, ['1.1.1.1', '2.2.2.2', '3.3.3.3', '1.1.1.1']);
    const uncachedGeo = counting(geoAnswers);
    const uncached = createIpIntel({ geo: uncachedGeo, asn: counting(asnAnswers), cacheSize: { ip: 0, userAgent: 0 } });
    uncached.lookupIp('1.2.3.4');
    uncached.lookupIp('1.2.3.4');
    assert.equal(uncachedGeo.calls.length, 2);
    assert.notEqual(uncached.lookupUserAgent('curl/8.5.0'), uncached.lookupUserAgent('curl/8.5.0'));
  });

  test('a throwing database degrades to nulls instead of failing the click', () => {
    const broken: GeoLookup & AsnLookup = {
      lookup() {
        throw new Error('corrupt file');
      },
    };
    const intel = createIpIntel({ geo: broken, asn: broken });
    assert.deepEqual(intel.lookupIp('1.2.3.4'), { country: null, region: null, city: null, asn: null, asOrg: null });
  });

  test('user agents longer than the parser reads share one cache entry', () => {
    const intel = createIpIntel({ geo: counting(geoAnswers), asn: counting(asnAnswers) });
    const base =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 ';
    const long = base.padEnd(600, 'a');
    assert.equal(intel.lookupUserAgent(long), intel.lookupUserAgent(`${long}bbbb`));
    assert.equal(intel.lookupUserAgent(long).device, 'desktop');
  });
});

describe('openIpIntel on the real data', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-intel-'));
  let intel: IpIntel;
  before(async () => {
    intel = await openIpIntel({ dataDir });
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('8.8.8.8 is Google in the US, also when IPv4-mapped', () => {
    const google = intel.lookupIp('8.8.8.8');
    assert.equal(google.country, 'US');
    assert.equal(google.asn, 15169);
    assert.equal(google.asOrg, 'Google LLC');
    assert.equal(typeof google.city, 'string');
    assert.deepEqual(intel.lookupIp('::ffff:8.8.8.8'), google);
  });

  test('1.1.1.1 is Cloudflare', () => {
    assert.equal(intel.lookupIp('1.1.1.1').asn, 13335);
  });

  test('IPv6: Google DNS and Facebook', () => {
    const google = intel.lookupIp('2001:4860:4860::8888');
    assert.equal(google.asn, 15169);
    // DB-IP Lite (2026-06) geolocates this anycast address to Montreal, unlike 8.8.8.8.
    assert.equal(google.country, 'CA');
    assert.equal(intel.lookupIp('2a03:2880:f10c:83:face:b00c:0:25de').asn, 32934);
  });

  test('residential ISPs in Germany and Japan', () => {
    const telekom = intel.lookupIp('84.128.1.1');
    assert.equal(telekom.country, 'DE');
    assert.equal(telekom.asn, 3320);
    const softbank = intel.lookupIp('126.0.0.1');
    assert.equal(softbank.country, 'JP');
    assert.equal(softbank.asn, 17676);
  });

  test('private and invalid addresses are all nulls, without throwing', () => {
    const nothing = { country: null, region: null, city: null, asn: null, asOrg: null };
    for (const ip of ['10.0.0.1', '127.0.0.1', '::1', 'not-an-ip', '', 'x'.repeat(1000)]) {
      assert.deepEqual(intel.lookupIp(ip), nothing, ip);
    }
  });

  test('user agents', () => {
    assert.equal(intel.lookupUserAgent('').device, 'other');
    assert.equal(
      intel.lookupUserAgent('Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15').device,
      'tablet',
    );
  });
});
