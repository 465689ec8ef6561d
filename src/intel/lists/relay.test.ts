import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseListBody, rejectionReason, serializeEntries } from './entries.ts';
import { openIpReputation } from './reputation.ts';
import { ICLOUD_RELAY_SNAPSHOT } from './shipped/icloud-private-relay.ts';
import { DEFAULT_INTEL_SOURCES, parseIntelSources } from './sources.ts';
import { updateIntelLists } from './update.ts';
import { startFixtureServer, tempDir } from './test-support.ts';

// Rows of Apple's feed (https://mask-api.icloud.com/egress-ip-ranges.csv) as quoted in public code
// that reads it, in its exact format: prefix,country,region,city, with the trailing empty field.
const FEED = `172.224.226.0/27,GB,GB-EN,London,
172.224.226.32/31,GB,GB-SC,Aberdeen,
104.28.30.0/26,JP,JP-13,,
2a04:4e41:275f:1700::/56,US,US-WA,SEATTLE,
`;

test("the geofeed format reads Apple's rows with their country, and the stored form reads back the same", () => {
  const parsed = parseListBody('geofeed-csv', FEED);
  assert.equal(parsed.error, null);
  assert.equal(parsed.bad, 0);
  assert.deepEqual(
    parsed.entries.map((entry) => [entry.text, entry.country]),
    [
      ['104.28.30.0/26', 'JP'],
      ['172.224.226.0/27', 'GB'],
      ['172.224.226.32/31', 'GB'],
      ['2a04:4e41:275f:1700::/56', 'US'],
    ],
  );
  const stored = serializeEntries(parsed.entries);
  assert.equal(stored.split('\n')[0], '104.28.30.0/26,JP');
  assert.deepEqual(parseListBody('geofeed-csv', stored).entries, parsed.entries);
});

test('the geofeed format refuses what is not a geofeed', () => {
  const html = parseListBody('geofeed-csv', '<html><body>Service unavailable</body></html>\n');
  assert.match(rejectionReason(html, 'geofeed-csv', 1) ?? '', /1 of 1 lines are not IP addresses or CIDRs/);
  const badCountry = parseListBody('geofeed-csv', '172.224.226.0/27,GBR,GB-EN,London,\n');
  assert.equal(badCountry.bad, 1);
  const hostBits = parseListBody('geofeed-csv', '172.224.226.1/27,GB,GB-EN,London,\n');
  assert.equal(hostBits.bad, 1);
});

test('out of the box (no update yet) the shipped relay snapshot answers, and only for relays', () => {
  const store = openIpReputation({ dataDir: tempDir() });
  try {
    const relay = store.lookup('172.224.226.7');
    assert.deepEqual(relay.relay, {
      list: `icloud-private-relay (shipped ${ICLOUD_RELAY_SNAPSHOT.date})`,
      entry: '172.224.226.0/27',
      country: 'GB',
    });
    // The other kinds stay unknown: nothing was downloaded.
    assert.equal(relay.tor, null);
    assert.equal(relay.vpn, null);
    const countryOf = (ip: string) => {
      const match = store.lookup(ip).relay;
      return match ? match.country : match;
    };
    assert.equal(countryOf('2a09:bac2:b089:1ab::9'), 'US');
    assert.equal(countryOf('104.28.30.1'), 'JP');
    assert.equal(store.lookup('8.8.8.8').relay, false);
    assert.equal(store.lookup('8.8.8.8').tor, null);
  } finally {
    store.close();
  }
});

test('`intel update` downloads the relay feed, which then replaces the shipped snapshot', async () => {
  const server = await startFixtureServer({ '/egress-ip-ranges.csv': { body: FEED } });
  try {
    const dataDir = tempDir();
    const sources = parseIntelSources([
      {
        id: 'icloud-private-relay',
        kind: 'relay',
        url: server.url('/egress-ip-ranges.csv'),
        format: 'geofeed-csv',
        minEntries: 3,
      },
    ]);
    const report = await updateIntelLists({ dataDir, sources });
    assert.deepEqual(
      report.outcomes.map((outcome) => [outcome.id, outcome.status, outcome.entries]),
      [['icloud-private-relay', 'updated', 4]],
    );
    const store = openIpReputation({ dataDir });
    try {
      assert.deepEqual(store.lookup('172.224.226.33').relay, {
        list: 'icloud-private-relay',
        entry: '172.224.226.32/31',
        country: 'GB',
      });
      // In the snapshot but not in this (smaller) download: the download is the truth now.
      assert.equal(store.lookup('146.75.136.9').relay, false);
      assert.equal(store.status()[0]?.kind, 'relay');
    } finally {
      store.close();
    }
  } finally {
    await server.close();
  }
});

test("the default sources download Apple's feed as a relay list", () => {
  const relay = DEFAULT_INTEL_SOURCES.find((source) => source.kind === 'relay');
  assert.equal(relay?.url, 'https://mask-api.icloud.com/egress-ip-ranges.csv');
  assert.equal(relay.format, 'geofeed-csv');
});
