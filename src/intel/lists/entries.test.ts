import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseListBody, parseListEntry, rejectionReason, serializeEntries } from './entries.ts';

test('parseListEntry reads addresses and CIDRs into canonical text', () => {
  const cases: Array<[string, string | undefined]> = [
    ['185.220.101.1', '185.220.101.1'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.1.2.3/32', '10.1.2.3'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['2001:DB8:0:0::1', '2001:db8::1'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['2001:db8::1/128', '2001:db8::1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.0/120', '192.0.2.0/24'],
    // Refused: host bits set, leading zeros, out-of-range prefixes, zone ids, junk.
    ['10.0.0.1/8', undefined],
    ['2001:db8::1/32', undefined],
    ['010.0.0.1', undefined],
    ['10.0.0.0/33', undefined],
    ['10.0.0.0/024', undefined],
    ['10.0.0.0/', undefined],
    ['2001:db8::/129', undefined],
    ['fe80::1%eth0', undefined],
    ['256.1.1.1', undefined],
    ['<html>', undefined],
    ['1.2.3.4 5.6.7.8', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(parseListEntry(text, true)?.text, expected, text);
  assert.equal(parseListEntry('10.0.0.0/8', false), undefined, 'a CIDR in an address-only list is a bad line');
  assert.deepEqual(parseListEntry('10.0.0.0/8', true), {
    family: 4,
    start: 0x0a000000,
    end: 0x0affffff,
    prefix: 8,
    text: '10.0.0.0/8',
  });
  const v6 = parseListEntry('2001:db8::/127', true);
  assert.equal(v6?.family, 6);
  assert.equal(v6?.end, (v6?.start as bigint) + 1n);
});

test('line lists: comments, blanks, CRLF, a byte-order mark; sorted and deduplicated', () => {
  const body =
    '\ufeff# Tor exits\r\n185.220.101.2\r\n\r\n  185.220.101.1  # trailing comment\r\n2001:db8::1\r\n185.220.101.2\r\n';
  const parsed = parseListBody('lines', body);
  assert.deepEqual(
    parsed.entries.map((entry) => entry.text),
    ['185.220.101.1', '185.220.101.2', '2001:db8::1'],
  );
  assert.equal(parsed.lines, 4);
  assert.equal(parsed.bad, 0);
  assert.equal(serializeEntries(parsed.entries), '185.220.101.1\n185.220.101.2\n2001:db8::1\n');
  assert.equal(serializeEntries([]), '');
});

test('more than 1% bad lines refuses the whole list; the first bad line is named', () => {
  const good = Array.from({ length: 99 }, (_, i) => `10.0.${i}.0/24`);
  const onePercent = parseListBody('cidr-lines', [...good, 'oops'].join('\n'));
  assert.equal(onePercent.bad, 1);
  assert.equal(rejectionReason(onePercent, 'cidr-lines', 10), null, 'exactly 1% is tolerated');
  assert.equal(onePercent.entries.length, 99);

  const twoPercent = parseListBody('cidr-lines', [...good.slice(0, 98), '10.0.0.1/8', 'oops'].join('\n'));
  assert.equal(
    rejectionReason(twoPercent, 'cidr-lines', 10),
    '2 of 100 lines are not IP addresses or CIDRs (line 99: "10.0.0.1/8")',
  );

  const html = parseListBody('lines', '<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>\n');
  assert.match(
    rejectionReason(html, 'lines', 0) ?? '',
    /^2 of 2 lines are not IP addresses \(line 1: "<!DOCTYPE html>"\)$/,
  );
});

test('a list smaller than its minimum is refused', () => {
  const parsed = parseListBody('lines', '1.1.1.1\n1.1.1.1\n8.8.8.8\n');
  assert.equal(rejectionReason(parsed, 'lines', 3), 'only 2 entries, fewer than the minimum of 3 for this source');
  assert.equal(rejectionReason(parsed, 'lines', 2), null);
  assert.equal(
    rejectionReason(parseListBody('lines', ''), 'lines', 1),
    'only 0 entries, fewer than the minimum of 1 for this source',
  );
});

test('google-json: ipv4Prefix and ipv6Prefix, with the family checked against the key', () => {
  const body = JSON.stringify({
    creationTime: '2025-01-14T15:46:05.000000',
    prefixes: [
      { ipv4Prefix: '66.249.64.0/27' },
      { ipv6Prefix: '2001:4860:4801:10::/64' },
      { ipv4Prefix: '2001:db8::/32' },
      { other: 1 },
    ],
  });
  const parsed = parseListBody('google-json', body);
  assert.deepEqual(
    parsed.entries.map((entry) => entry.text),
    ['66.249.64.0/27', '2001:4860:4801:10::/64'],
  );
  assert.equal(parsed.lines, 4);
  assert.equal(parsed.bad, 2);
  assert.match(
    rejectionReason(parsed, 'google-json', 1) ?? '',
    /^2 of 4 prefixes are not IP addresses or CIDRs \(prefix 3: /,
  );
  assert.equal(rejectionReason(parseListBody('google-json', '<html>'), 'google-json', 1), 'the body is not JSON');
  assert.equal(
    rejectionReason(parseListBody('google-json', '{"ranges":[]}'), 'google-json', 1),
    'the JSON has no "prefixes" array',
  );
  assert.equal(
    rejectionReason(parseListBody('google-json', 'null'), 'google-json', 1),
    'the JSON has no "prefixes" array',
  );
});
