import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { openIpReputation, type ReloadEvent } from './reputation.ts';
import { parseIntelSources, type IntelSource } from './sources.ts';
import { listPath, manifestPath } from './storage.ts';
import { updateIntelLists } from './update.ts';
import { FIXTURE_ROUTES, fixtureSources, startFixtureServer, tempDir, type FixtureServer } from './test-support.ts';

const NEW_VPN = '2.56.16.0/22\n5.157.13.3\n37.19.192.0/19\n45.38.189.1\n46.29.25.64/27\n198.51.100.0/24\n';

async function setUp(
  run: (server: FixtureServer, dataDir: string, sources: readonly IntelSource[]) => Promise<void>,
): Promise<void> {
  const server = await startFixtureServer(FIXTURE_ROUTES);
  try {
    const dataDir = tempDir();
    const sources = parseIntelSources(fixtureSources(server));
    await updateIntelLists({ dataDir, sources });
    await run(server, dataDir, sources);
  } finally {
    await server.close();
  }
}

test('reload swaps in a new manifest without a restart, and only when it changed', async () => {
  await setUp(async (server, dataDir, sources) => {
    const events: ReloadEvent[] = [];
    const store = openIpReputation({ dataDir, onReload: (event) => events.push(event) });
    assert.equal(store.generation, 1);
    assert.equal(store.lookup('198.51.100.7').vpn, false);
    assert.equal(store.reload(), false, 'nothing changed');

    server.routes.set('/vpn/ipv4.txt', { body: NEW_VPN });
    await updateIntelLists({ dataDir, sources, only: ['x4bnet-vpn'] });
    assert.equal(store.lookup('198.51.100.7').vpn, false, 'the tables in use until reload');
    assert.equal(store.reload(), true);
    assert.equal(store.generation, 2);
    assert.deepEqual(store.lookup('198.51.100.7').vpn, { list: 'x4bnet-vpn', entry: '198.51.100.0/24' });
    assert.equal(store.lookup('2a0d:5600:24::1').vpn, false, 'the old IPv6 ranges are gone');
    assert.equal(store.reload(), false);
    assert.deepEqual(
      events.map((e) => e.type),
      ['loaded', 'loaded'],
    );
    assert.equal(store.status().find((s) => s.id === 'x4bnet-vpn')!.entries, 6);

    // A rewrite with the same content (a new inode and mtime) keeps the tables and the generation.
    const text = readFileSync(manifestPath(dataDir), 'utf8');
    writeFileSync(`${manifestPath(dataDir)}.copy`, text);
    renameSync(`${manifestPath(dataDir)}.copy`, manifestPath(dataDir));
    assert.equal(store.reload(), false);
    assert.equal(store.generation, 2);
  });
});

test('watch picks up an update on its own', async () => {
  await setUp(async (server, dataDir, sources) => {
    const store = openIpReputation({ dataDir, watchIntervalMs: 20 });
    try {
      server.routes.set('/vpn/ipv4.txt', { body: NEW_VPN });
      await updateIntelLists({ dataDir, sources, only: ['x4bnet-vpn'] });
      const deadline = Date.now() + 5000;
      while (store.lookup('198.51.100.7').vpn === false && Date.now() < deadline) await sleep(10);
      assert.deepEqual(store.lookup('198.51.100.7').vpn, { list: 'x4bnet-vpn', entry: '198.51.100.0/24' });
    } finally {
      store.close();
    }
  });
});

test('a broken manifest or a list that does not match it keeps the tables in use', async () => {
  await setUp(async (_server, dataDir, sources) => {
    const events: ReloadEvent[] = [];
    const store = openIpReputation({ dataDir, onReload: (event) => events.push(event) });
    const good = readFileSync(manifestPath(dataDir), 'utf8');

    writeFileSync(manifestPath(dataDir), '{"format": 1, "lists": [');
    assert.equal(store.reload(), false);
    assert.equal(store.lastError, 'the manifest is not valid JSON');
    assert.deepEqual(store.lookup('185.220.101.1').tor, { list: 'tor-exit', entry: '185.220.101.1' });
    assert.equal(store.reload(), false);
    assert.deepEqual(
      events.map((e) => e.type),
      ['loaded', 'failed'],
      'one report per broken manifest, not one per tick',
    );

    // A list file changed behind the manifest's back (a damaged disk, a hand edit).
    appendFileSync(listPath(dataDir, 'tor-exit'), '6.6.6.6\n');
    writeFileSync(
      manifestPath(dataDir),
      good.replace(/"written_at": "[^"]+"/, '"written_at": "2030-01-01T00:00:00.000Z"'),
    );
    assert.equal(store.reload(), false);
    assert.equal(store.lastError, 'the list file of "tor-exit" does not match the manifest\'s sha256');
    assert.equal(store.lookup('6.6.6.6').tor, false);
    assert.deepEqual(store.lookup('185.220.101.1').tor, { list: 'tor-exit', entry: '185.220.101.1' });

    // A good update repairs it.
    await updateIntelLists({ dataDir, sources, only: ['tor-exit'] });
    assert.equal(store.reload(), true);
    assert.equal(store.lastError, null);
    assert.equal(store.lookup('6.6.6.6').tor, false);
  });
});

test('a broken manifest at start gives unknown answers and says why; a removed one unloads the lists', async () => {
  await setUp(async (_server, dataDir) => {
    const good = readFileSync(manifestPath(dataDir), 'utf8');
    writeFileSync(manifestPath(dataDir), '[]');
    const store = openIpReputation({ dataDir });
    assert.match(store.lastError ?? '', /not format 1/);
    assert.deepEqual(store.lookup('185.220.101.1'), {
      tor: null,
      vpn: null,
      crawler: false,
      relay: false,
      crawlerCompanies: ['google', 'microsoft', 'apple'],
    });

    writeFileSync(manifestPath(dataDir), good);
    assert.equal(store.reload(), true);
    assert.deepEqual(store.lookup('185.220.101.1').tor, { list: 'tor-exit', entry: '185.220.101.1' });

    rmSync(manifestPath(dataDir));
    assert.equal(store.reload(), true);
    assert.deepEqual(store.lookup('185.220.101.1'), {
      tor: null,
      vpn: null,
      crawler: false,
      relay: false,
      crawlerCompanies: ['google', 'microsoft', 'apple'],
    });
    assert.deepEqual(store.status(), []);
  });
});

test('status reports ages from fetched_at', async () => {
  await setUp(async (_server, dataDir) => {
    const store = openIpReputation({ dataDir, now: () => Date.now() + 7_200_000 });
    const status = store.status();
    assert.equal(status.length, 5);
    for (const list of status)
      assert.ok(list.age_seconds >= 7199 && list.age_seconds < 7260, `${list.id}: ${list.age_seconds}`);
    assert.deepEqual(Object.keys(status[0]!).sort(), [
      'age_seconds',
      'changed_at',
      'company',
      'entries',
      'fetched_at',
      'id',
      'kind',
      'url',
    ]);
  });
});
