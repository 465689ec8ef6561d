import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { HOSTING_ASN_ENTRIES, HOSTING_ASNS, NOT_HOSTING_ASNS } from './lists/hosting-asns.ts';
import { HOSTING_ORG_PATTERNS, NOT_HOSTING_ORG_PATTERNS } from './lists/hosting-org-patterns.ts';
import { MOBILE_CARRIER_ASNS, MOBILE_CARRIER_ORG_PATTERN } from './lists/mobile-carriers.ts';
import { describeNetwork, findHostingNetwork, findSharedAddressKind, isMobileCarrier } from './network-kind.ts';
import type { IpInfo } from './types.ts';

type Network = Pick<IpInfo, 'asn' | 'asOrg'>;

/** Public ASNs only: not 0, AS_TRANS, documentation, private or reserved numbers. */
function isPublicAsn(asn: number): boolean {
  return Number.isInteger(asn) && asn > 0 && asn !== 23456 && !(asn >= 64496 && asn <= 131071) && asn < 4_200_000_000;
}

/** The lines of a list file that hold an entry (`[123, …]`). */
function entryLines(file: string): string[] {
  return readFileSync(new URL(file, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => /^\s*\[\d+,/.test(line));
}

describe('hosting and carrier lists', () => {
  it('are big enough to matter', () => {
    assert.ok(HOSTING_ASNS.size >= 80, `${HOSTING_ASNS.size} hosting ASNs`);
    assert.ok(MOBILE_CARRIER_ASNS.size >= 30, `${MOBILE_CARRIER_ASNS.size} carrier ASNs`);
  });

  it('list each ASN once, as a public ASN', () => {
    const seen = new Set<number>();
    for (const [asn] of HOSTING_ASN_ENTRIES) {
      assert.ok(!seen.has(asn), `AS${asn} listed twice`);
      assert.ok(isPublicAsn(asn), `AS${asn} is not a public ASN`);
      seen.add(asn);
    }
    for (const asn of [...NOT_HOSTING_ASNS.keys(), ...MOBILE_CARRIER_ASNS.keys()])
      assert.ok(isPublicAsn(asn), `AS${asn}`);
    assert.equal(entryLines('./lists/mobile-carriers.ts').length, MOBILE_CARRIER_ASNS.size, 'a carrier listed twice');
    assert.equal(
      entryLines('./lists/hosting-asns.ts').length,
      HOSTING_ASN_ENTRIES.length + NOT_HOSTING_ASNS.size,
      'an exclusion listed twice',
    );
  });

  it('never put one ASN on two lists', () => {
    for (const asn of HOSTING_ASNS.keys()) {
      assert.ok(!NOT_HOSTING_ASNS.has(asn), `AS${asn} is both hosting and excluded`);
      assert.ok(!MOBILE_CARRIER_ASNS.has(asn), `AS${asn} is both hosting and a carrier`);
    }
    for (const asn of NOT_HOSTING_ASNS.keys())
      assert.ok(!MOBILE_CARRIER_ASNS.has(asn), `AS${asn} is both excluded and a carrier`);
  });

  it('comment every entry', () => {
    for (const file of ['./lists/hosting-asns.ts', './lists/mobile-carriers.ts', './lists/hosting-org-patterns.ts']) {
      const lines = readFileSync(new URL(file, import.meta.url), 'utf8').split('\n');
      lines.forEach((line, i) => {
        const isEntry = /^\s*\[\d+,/.test(line) || /^\s*\/.+\/[a-z]*,\s*$/.test(line);
        if (isEntry)
          assert.ok(line.includes('//') || lines[i - 1]?.trim().startsWith('//'), `${file}:${i + 1} has no comment`);
      });
    }
  });

  it('use patterns that keep no state between tests', () => {
    for (const pattern of [...HOSTING_ORG_PATTERNS, ...NOT_HOSTING_ORG_PATTERNS, MOBILE_CARRIER_ORG_PATTERN]) {
      assert.ok(!pattern.global && !pattern.sticky, String(pattern));
    }
  });
});

describe('findHostingNetwork', () => {
  const cases: [Network, string | null][] = [
    [{ asn: 16509, asOrg: 'Amazon.com, Inc.' }, 'hosting AS16509 Amazon.com, Inc.'],
    [{ asn: 13335, asOrg: 'Cloudflare, Inc.' }, 'proxy AS13335 Cloudflare, Inc.'],
    [{ asn: 216025, asOrg: 'Mullvad VPN AB' }, 'vpn AS216025 Mullvad VPN AB'],
    [{ asn: 64500, asOrg: 'Example Hosting Ltd' }, 'hosting AS64500 Example Hosting Ltd "Hosting"'],
    [{ asn: 64500, asOrg: 'Example Hosting Telecom' }, null],
    [{ asn: 15169, asOrg: 'Google Cloud' }, null],
    [{ asn: 7922, asOrg: 'Comcast Cable Communications, LLC' }, null],
    [{ asn: null, asOrg: null }, null],
  ];
  for (const [network, expected] of cases) {
    it(`${describeNetwork(network)} → ${expected}`, () => {
      const found = findHostingNetwork(network);
      const text =
        found &&
        [found.kind, found.label, found.nameMatch === null ? null : `"${found.nameMatch}"`].filter(Boolean).join(' ');
      assert.equal(text, expected);
    });
  }

  it('answers the same the second time (memo)', () => {
    const network = { asn: 64501, asOrg: 'Second Look Cloud Ltd' };
    assert.deepEqual(findHostingNetwork(network), findHostingNetwork({ ...network }));
  });
});

describe('isMobileCarrier', () => {
  const cases: [Network, boolean][] = [
    [{ asn: 21928, asOrg: 'T-Mobile USA, Inc.' }, true],
    [{ asn: 6167, asOrg: 'Verizon Business' }, true],
    [{ asn: 55836, asOrg: null }, true],
    [{ asn: 64500, asOrg: 'Example Mobile Networks' }, true],
    [{ asn: 64500, asOrg: 'Example Wireless Internet' }, true],
    [{ asn: null, asOrg: 'Example Cellular' }, true],
    [{ asn: 7922, asOrg: 'Comcast Cable Communications, LLC' }, false],
    [{ asn: 64500, asOrg: 'State Farm Mutual Automobile Insurance Company' }, false],
    [{ asn: 14061, asOrg: 'DigitalOcean Mobility' }, false],
    [{ asn: 64500, asOrg: 'GSM Cloud Hosting' }, false],
    [{ asn: null, asOrg: null }, false],
  ];
  for (const [network, expected] of cases)
    it(`${describeNetwork(network)} → ${expected}`, () => assert.equal(isMobileCarrier(network), expected));
});

describe('describeNetwork', () => {
  const cases: [Network, string | undefined, string][] = [
    [{ asn: 14061, asOrg: 'DigitalOcean, LLC' }, 'DigitalOcean', 'AS14061 DigitalOcean, LLC'],
    [{ asn: 14061, asOrg: null }, 'DigitalOcean', 'AS14061 DigitalOcean'],
    [{ asn: 14061, asOrg: null }, undefined, 'AS14061'],
    [{ asn: null, asOrg: 'Example Hosting' }, undefined, 'Example Hosting'],
    [{ asn: null, asOrg: null }, undefined, 'an unknown network'],
  ];
  for (const [network, fallback, expected] of cases)
    it(expected, () => assert.equal(describeNetwork(network, fallback), expected));
});

describe('findSharedAddressKind', () => {
  // Organisation names as the bundled ASN database gives them.
  const cases: [string, number | null, string | null, 'carrier' | 'organisation' | null][] = [
    ['a listed carrier', 21928, 'T-Mobile USA, Inc.', 'carrier'],
    ['a carrier known by number, named "Business"', 6167, 'Verizon Business', 'carrier'],
    ['a university', 46, 'Rutgers, The State University', 'organisation'],
    ['a school district', 397001, 'College Station Independent School District', 'organisation'],
    ['a national education network', 26795, 'Arizona Education Network Services Corporation', 'organisation'],
    ['a business line', 12807, 'Orange Business Services SA', 'organisation'],
    ['a home broadband ISP', 7922, 'Comcast Cable Communications, LLC', null],
    ['a research network not named so (the history decides)', 786, 'Jisc Services Limited', null],
    ['a host whose name also says University', 64501, 'University Hosting Services Ltd', null],
    ['a listed host named Enterprise', 14061, 'DigitalOcean Enterprise', null],
    ['no name', null, null, null],
  ];
  for (const [name, asn, asOrg, expected] of cases)
    it(`${name} → ${expected}`, () => assert.equal(findSharedAddressKind({ asn, asOrg }), expected));
});
