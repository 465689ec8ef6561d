import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAsnIndexData } from './asn-index-builder.ts';
import { decodeAsnIndex, encodeAsnIndex } from './asn-index-format.ts';
import { createAsnLookup } from './asn.ts';

const dir = mkdtempSync(join(tmpdir(), 'cloakradar-asn-builder-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Shapes copied from the real files: quoted names with commas and doubled quotes, a range nested
// in an earlier one (the DoD overlap), a row out of order, and an IPv6 /64 split around one address (VeriSign).
writeFileSync(
  join(dir, 'asn-ipv4-num.csv'),
  [
    '16777216,16777471,13335,"Cloudflare, Inc."',
    '35309568,35313663,201907,"LLC ""SPUTNIK"""',
    '3596550144,3607166975,749,United States Department of Defense (DoD)',
    '3607101440,3607167999,721,DoD Network Information Center',
    'garbage line',
    '5,4,1,end before start',
    '3758095360,3758095871,58519,Cloud Computing Corporation',
    '16778240,16779263,38803,Gtelecom Pty Ltd',
    '',
  ].join('\n'),
);
writeFileSync(
  join(dir, 'asn-ipv6-num.csv'),
  [
    '42540589589187417574328769899896242176,42540589589187417574328769899896242223,396585,VeriSign Global Registry Services',
    '42540589589187417574328769899896242224,42540589589187417574328769899896242224,396552,VeriSign Global Registry Services',
    '42540589589187417574328769899896242225,42540589589188626500148384529070948351,396585,VeriSign Global Registry Services',
    '99999999999999999999999999999999999999999,1,1,too big',
  ].join('\n'),
);

test('builds sorted, disjoint ranges with deduplicated, unquoted names', async () => {
  const built = await buildAsnIndexData(dir);
  assert.equal(built.skipped, 3);
  assert.equal(built.clipped, 1);
  assert.deepEqual([...built.data.v4Start], [16777216, 16778240, 35309568, 3596550144, 3607101440, 3758095360]);
  // The earlier DoD range now ends where the later one begins.
  assert.equal(built.data.v4End[3], 3607101439);
  assert.deepEqual(built.data.orgs.slice(0, 2), ['Cloudflare, Inc.', 'LLC "SPUTNIK"']);
  // Names shared by IPv4 and IPv6 rows are stored once.
  assert.equal(built.data.orgs.filter((name) => name === 'VeriSign Global Registry Services').length, 1);
  assert.equal(built.data.v6StartHi.length, 3);
});

test('lookups honour sub-/64 IPv6 ranges and the clipped overlap', async () => {
  const built = await buildAsnIndexData(dir);
  const decoded = decodeAsnIndex(
    encodeAsnIndex(built.data, { sourceVersion: 'x', clipped: built.clipped, skipped: built.skipped }),
  );
  assert.ok(decoded);
  const asn = createAsnLookup(decoded.data);
  assert.deepEqual(asn.lookup('1.0.0.1'), { asn: 13335, org: 'Cloudflare, Inc.' });
  assert.equal(asn.lookup('1.0.1.0'), undefined);
  assert.equal(asn.lookup('0.0.0.1'), undefined);
  assert.equal(asn.lookup('255.255.255.255'), undefined);
  assert.equal(asn.lookup('214.100.0.1')?.asn, 749);
  assert.equal(asn.lookup('215.0.0.1')?.asn, 721);
  assert.equal(asn.lookup('215.0.254.1')?.asn, 721);
  assert.equal(asn.lookup('2001:500:30ff::2f')?.asn, 396585);
  assert.equal(asn.lookup('2001:500:30ff::30')?.asn, 396552);
  assert.equal(asn.lookup('2001:500:30ff::31')?.asn, 396585);
  assert.equal(asn.lookup('2001:500:30ff:0:ffff:ffff:ffff:ffff')?.asn, 396585);
  assert.equal(asn.lookup('2001:500:3100::'), undefined);
  assert.equal(asn.lookup('::'), undefined);
});

test('decode rejects truncated and foreign bytes', async () => {
  const built = await buildAsnIndexData(dir);
  const bytes = encodeAsnIndex(built.data, { sourceVersion: 'x', clipped: 0, skipped: 0 });
  assert.equal(decodeAsnIndex(bytes.subarray(0, bytes.length - 1)), undefined);
  assert.equal(decodeAsnIndex(Buffer.from('hello world, not an index')), undefined);
  assert.equal(decodeAsnIndex(Buffer.alloc(0)), undefined);
  // A copy at an odd offset still decodes (typed arrays need aligned views).
  const shifted = Buffer.alloc(bytes.length + 1);
  bytes.copy(shifted, 1);
  assert.ok(decodeAsnIndex(shifted.subarray(1)));
});
