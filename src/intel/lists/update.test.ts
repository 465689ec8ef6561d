import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { openIpReputation } from './reputation.ts';
import { parseIntelSources } from './sources.ts';
import {
  intelDir,
  IntelLockError,
  listPath,
  listsDir,
  lockPath,
  manifestPath,
  readManifest,
  sha256,
} from './storage.ts';
import { UnknownListError, updateIntelLists, type SourceOutcome } from './update.ts';
import { FIXTURE_ROUTES, fixtureSources, startFixtureServer, tempDir, type FixtureServer } from './test-support.ts';

async function withServer(run: (server: FixtureServer) => Promise<void>): Promise<void> {
  const server = await startFixtureServer(FIXTURE_ROUTES);
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

const statuses = (outcomes: readonly SourceOutcome[]) => Object.fromEntries(outcomes.map((o) => [o.id, o.status]));
const leftovers = (dataDir: string) =>
  [...readdirSync(intelDir(dataDir)), ...readdirSync(listsDir(dataDir))].filter(
    (name) => name.endsWith('.tmp') || name.endsWith('.lock'),
  );

test('update from the sources: manifest, normalized files, and lookups that answer', async () => {
  await withServer(async (server) => {
    const dataDir = tempDir();
    const sources = parseIntelSources(fixtureSources(server));
    const progress: string[] = [];
    const report = await updateIntelLists({
      dataDir,
      sources,
      onProgress: (o, done, total) => progress.push(`${done}/${total} ${o.id}`),
    });
    assert.deepEqual(statuses(report.outcomes), {
      'tor-exit': 'updated',
      'x4bnet-vpn': 'updated',
      googlebot: 'updated',
      'google-special-crawlers': 'updated',
      bingbot: 'updated',
    });
    assert.deepEqual(
      progress.map((line) => line.split(' ')[0]),
      ['1/5', '2/5', '3/5', '4/5', '5/5'],
    );
    assert.deepEqual(progress.map((line) => line.split(' ')[1]).sort(), sources.map((s) => s.id).sort());
    assert.equal(report.manifestWritten, true);

    const manifest = readManifest(dataDir);
    assert.ok(manifest);
    assert.deepEqual(
      manifest.lists.map((l) => [l.id, l.kind, l.company, l.entries]),
      [
        ['tor-exit', 'tor', null, 11],
        ['x4bnet-vpn', 'vpn', null, 11],
        ['googlebot', 'crawler', 'google', 9],
        ['google-special-crawlers', 'crawler', 'google', 4],
        ['bingbot', 'crawler', 'microsoft', 4],
      ],
    );
    for (const list of manifest.lists) {
      const file = readFileSync(listPath(dataDir, list.id), 'utf8');
      assert.equal(sha256(file), list.sha256, list.id);
      assert.equal(file.trimEnd().split('\n').length, list.entries, list.id);
      assert.equal(list.url, sources.find((s) => s.id === list.id)!.url);
      assert.equal(list.fetched_at, list.changed_at);
      assert.ok(Math.abs(Date.parse(list.fetched_at) - Date.now()) < 60_000);
    }
    // Sorted, canonical, comments gone.
    assert.equal(
      readFileSync(listPath(dataDir, 'x4bnet-vpn'), 'utf8').split('\n').slice(0, 4).join(','),
      '2.56.16.0/22,5.157.13.3,5.157.13.4/31,37.19.192.0/19',
    );
    assert.deepEqual(leftovers(dataDir), [], 'no temp files or lock left behind');

    const store = openIpReputation({ dataDir });
    assert.deepEqual(store.lookup('185.220.101.33'), {
      tor: { list: 'tor-exit', entry: '185.220.101.33' },
      vpn: false,
      crawler: false,
      relay: false,
      crawlerCompanies: ['google', 'microsoft', 'apple'],
    });
    assert.deepEqual(store.lookup('::ffff:185.220.101.33').tor, { list: 'tor-exit', entry: '185.220.101.33' });
    assert.deepEqual(store.lookup('37.19.195.77'), {
      tor: false,
      vpn: { list: 'x4bnet-vpn', entry: '37.19.192.0/19' },
      crawler: false,
      relay: false,
      crawlerCompanies: ['google', 'microsoft', 'apple'],
    });
    assert.deepEqual(store.lookup('66.249.66.1'), {
      tor: false,
      vpn: false,
      crawler: { list: 'googlebot', entry: '66.249.66.0/27', company: 'google' },
      relay: false,
      crawlerCompanies: ['google', 'microsoft', 'apple'],
    });
    assert.deepEqual(store.lookup('192.178.17.5').crawler, {
      list: 'google-special-crawlers',
      entry: '192.178.17.0/27',
      company: 'google',
    });
    assert.deepEqual(store.lookup('157.55.39.200').crawler, {
      list: 'bingbot',
      entry: '157.55.39.0/24',
      company: 'microsoft',
    });
    // IPv6 ranges and addresses.
    assert.deepEqual(store.lookup('2001:4860:4801:10::1f').crawler, {
      list: 'googlebot',
      entry: '2001:4860:4801:10::/64',
      company: 'google',
    });
    assert.deepEqual(store.lookup('2a0d:5600:24:1::99').vpn, { list: 'x4bnet-vpn', entry: '2a0d:5600:24::/48' });
    assert.deepEqual(store.lookup('2001:DB8:FEED:0::7').vpn, { list: 'x4bnet-vpn', entry: '2001:db8:feed::7' });
    // Not listed: false everywhere. Not an address: unknown.
    assert.deepEqual(store.lookup('203.0.113.9'), {
      tor: false,
      vpn: false,
      crawler: false,
      relay: false,
      crawlerCompanies: ['google', 'microsoft', 'apple'],
    });
    assert.deepEqual(store.lookup('2001:db8::1'), {
      tor: false,
      vpn: false,
      crawler: false,
      relay: false,
      crawlerCompanies: ['google', 'microsoft', 'apple'],
    });
    assert.deepEqual(
      store.lookup('66.249.64.96'),
      { tor: false, vpn: false, crawler: false, relay: false, crawlerCompanies: ['google', 'microsoft', 'apple'] },
      'just past a /27',
    );
    // A download replaces the snapshot of its own id only: Apple's shipped ranges stay until applebot is downloaded.
    assert.deepEqual(store.lookup('17.241.208.161').crawler, {
      list: 'applebot (shipped 2026-12-05)',
      entry: '17.241.208.160/27',
      company: 'apple',
    });
    assert.deepEqual(store.lookup('not an ip'), { tor: null, vpn: null, crawler: null, relay: null });
    const status = store.status();
    assert.deepEqual(
      status.map((s) => [s.id, s.kind, s.entries]),
      manifest.lists.map((l) => [l.id, l.kind, l.entries]),
    );
    assert.ok(status.every((s) => s.age_seconds >= 0 && s.age_seconds < 60 && s.fetched_at === s.changed_at));
  });
});

test('without a manifest every kind is unknown; with only some kinds loaded the others stay unknown', async () => {
  await withServer(async (server) => {
    const dataDir = tempDir();
    const store = openIpReputation({ dataDir });
    // Only the shipped snapshots are known: the crawler ranges of Google, Microsoft and Apple, and the relay's.
    assert.deepEqual(store.lookup('185.220.101.33'), {
      tor: null,
      vpn: null,
      crawler: false,
      relay: false,
      crawlerCompanies: ['google', 'microsoft', 'apple'],
    });
    assert.deepEqual(store.lookup('66.249.66.1').crawler, {
      list: 'googlebot (shipped 2026-12-05)',
      entry: '66.249.66.0/27',
      company: 'google',
    });
    assert.deepEqual(store.status(), []);
    assert.equal(store.lastError, null);

    const sources = parseIntelSources(fixtureSources(server));
    const report = await updateIntelLists({ dataDir, sources, only: ['tor-exit'] });
    assert.deepEqual(statuses(report.outcomes), { 'tor-exit': 'updated' });
    assert.equal(server.hits.get('/vpn/ipv4.txt'), undefined, '--only fetches nothing else');
    assert.equal(store.reload(), true);
    assert.deepEqual(store.lookup('185.220.101.33'), {
      tor: { list: 'tor-exit', entry: '185.220.101.33' },
      vpn: null,
      crawler: false,
      relay: false,
      crawlerCompanies: ['google', 'microsoft', 'apple'],
    });
    assert.deepEqual(store.lookup('203.0.113.9'), {
      tor: false,
      vpn: null,
      crawler: false,
      relay: false,
      crawlerCompanies: ['google', 'microsoft', 'apple'],
    });
    await assert.rejects(
      updateIntelLists({ dataDir, sources, only: ['tor-exit', 'nope'] }),
      (error: unknown) =>
        error instanceof UnknownListError &&
        /unknown list "nope"; the configured lists are tor-exit, x4bnet-vpn/.test(error.message),
    );
  });
});

test('a failing source keeps its previous copy and says why; the others still update', async () => {
  await withServer(async (server) => {
    const dataDir = tempDir();
    // The first download at the default timeout (a busy machine may take longer than 0.2 s); the hang below at 0.2 s.
    await updateIntelLists({ dataDir, sources: parseIntelSources(fixtureSources(server)) });
    const sources = parseIntelSources(
      fixtureSources(server).map((s) => (s.id === 'bingbot' ? { ...s, timeoutMs: 200 } : s)),
    );
    const before = readManifest(dataDir)!;
    const beforeFile = (id: string) => before.lists.find((l) => l.id === id)!;

    server.routes.set('/torbulkexitlist', { status: 500, body: 'Internal error' });
    server.routes.set('/vpn/ipv4.txt', { file: 'garbage.html' });
    server.routes.set('/googlebot.json', { body: JSON.stringify({ prefixes: [{ ipv4Prefix: '66.249.64.0/27' }] }) });
    server.routes.set('/bingbot.json', { hang: true });
    server.routes.set('/special-crawlers.json', {
      body: JSON.stringify({
        prefixes: ['108.177.2.0/24', '192.178.17.0/27', '209.85.238.0/24', '74.125.0.0/24'].map((p) => ({
          ipv4Prefix: p,
        })),
      }),
    });
    const report = await updateIntelLists({ dataDir, sources, now: () => new Date(Date.now() + 3_600_000) });
    const byId = Object.fromEntries(report.outcomes.map((o) => [o.id, o]));
    assert.deepEqual(statuses(report.outcomes), {
      'tor-exit': 'failed',
      'x4bnet-vpn': 'failed',
      googlebot: 'failed',
      'google-special-crawlers': 'updated',
      bingbot: 'failed',
    });
    assert.equal(byId['tor-exit']!.reason, 'HTTP 500 Internal Server Error');
    assert.match(
      byId['x4bnet-vpn']!.reason!,
      /^8 of 8 lines are not IP addresses or CIDRs \(line 1: "<!DOCTYPE html>"\)$/,
    );
    assert.equal(byId.googlebot!.reason, 'only 1 entries, fewer than the minimum of 3 for this source');
    assert.equal(byId.bingbot!.reason, 'timed out after 0.2 s');
    assert.deepEqual(byId['tor-exit']!.kept, { fetched_at: beforeFile('tor-exit').fetched_at, entries: 11 });
    assert.equal(byId['tor-exit']!.entries, 11);

    const after = readManifest(dataDir)!;
    for (const id of ['tor-exit', 'x4bnet-vpn', 'googlebot', 'bingbot']) {
      assert.deepEqual(
        after.lists.find((l) => l.id === id),
        beforeFile(id),
        `${id} keeps its previous copy`,
      );
      assert.equal(sha256(readFileSync(listPath(dataDir, id))), beforeFile(id).sha256);
    }
    const special = after.lists.find((l) => l.id === 'google-special-crawlers')!;
    assert.equal(special.entries, 4);
    assert.notEqual(special.sha256, beforeFile('google-special-crawlers').sha256);
    assert.equal(special.changed_at, special.fetched_at);
    assert.deepEqual(leftovers(dataDir), []);

    const store = openIpReputation({ dataDir });
    assert.deepEqual(store.lookup('185.220.101.1').tor, { list: 'tor-exit', entry: '185.220.101.1' });
    assert.deepEqual(store.lookup('74.125.0.9').crawler, {
      list: 'google-special-crawlers',
      entry: '74.125.0.0/24',
      company: 'google',
    });
  });
});

test('an unchanged list is reported as such: fetched_at moves, changed_at stays', async () => {
  await withServer(async (server) => {
    const dataDir = tempDir();
    const sources = parseIntelSources(fixtureSources(server));
    await updateIntelLists({ dataDir, sources });
    const before = readManifest(dataDir)!;
    const later = new Date(Date.now() + 86_400_000);
    const report = await updateIntelLists({ dataDir, sources, now: () => later });
    assert.ok(report.outcomes.every((o) => o.status === 'unchanged'));
    const after = readManifest(dataDir)!;
    after.lists.forEach((list, i) => {
      assert.equal(list.fetched_at, later.toISOString());
      assert.equal(list.changed_at, before.lists[i]!.changed_at);
      assert.equal(list.sha256, before.lists[i]!.sha256);
    });
  });
});

test('when every source fails nothing is written', async () => {
  await withServer(async (server) => {
    const dataDir = tempDir();
    for (const path of Object.keys(FIXTURE_ROUTES)) server.routes.set(path, { status: 503 });
    const report = await updateIntelLists({ dataDir, sources: parseIntelSources(fixtureSources(server)) });
    assert.ok(
      report.outcomes.every(
        (o) =>
          o.status === 'failed' && o.reason === 'HTTP 503 Service Unavailable' && o.kept === null && o.entries === null,
      ),
    );
    assert.equal(report.manifestWritten, false);
    assert.equal(existsSync(manifestPath(dataDir)), false);
  });
});

test('a list whose source is no longer configured is dropped; a damaged previous copy is not kept', async () => {
  await withServer(async (server) => {
    const dataDir = tempDir();
    const sources = parseIntelSources(fixtureSources(server));
    await updateIntelLists({ dataDir, sources });

    const fewer = sources.filter((s) => s.id !== 'bingbot');
    const report = await updateIntelLists({ dataDir, sources: fewer });
    assert.deepEqual(report.removed, ['bingbot']);
    assert.equal(existsSync(listPath(dataDir, 'bingbot')), false);
    assert.deepEqual(
      readManifest(dataDir)!.lists.map((l) => l.id),
      ['tor-exit', 'x4bnet-vpn', 'googlebot', 'google-special-crawlers'],
    );

    writeFileSync(listPath(dataDir, 'tor-exit'), '6.6.6.6\n');
    server.routes.set('/torbulkexitlist', { status: 500 });
    const damaged = await updateIntelLists({ dataDir, sources: fewer, only: ['tor-exit'] });
    assert.equal(
      damaged.outcomes[0]!.reason,
      'HTTP 500 Internal Server Error; the previous copy is missing or damaged and is dropped',
    );
    assert.equal(damaged.outcomes[0]!.entries, null);
    assert.deepEqual(
      readManifest(dataDir)!.lists.map((l) => l.id),
      ['x4bnet-vpn', 'googlebot', 'google-special-crawlers'],
    );
  });
});

test('one update at a time; a lock left by a dead process is taken over; stale temp files are swept', async () => {
  await withServer(async (server) => {
    const dataDir = tempDir();
    const sources = parseIntelSources(fixtureSources(server));
    await updateIntelLists({ dataDir, sources, only: ['tor-exit'] });

    writeFileSync(lockPath(dataDir), `${process.pid}\n`);
    await assert.rejects(
      updateIntelLists({ dataDir, sources }),
      (error: unknown) =>
        error instanceof IntelLockError && /another "intel update" is running \(pid \d+\)/.test(error.message),
    );

    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout;
    writeFileSync(lockPath(dataDir), `${dead}\n`);
    writeFileSync(join(listsDir(dataDir), 'tor-exit.txt.4242.0123abcd.tmp'), 'half a list');
    writeFileSync(join(intelDir(dataDir), 'manifest.json.4242.0123abcd.tmp'), '{');
    writeFileSync(join(intelDir(dataDir), 'asn-index-v1.bin.4242.0123abcd.tmp'), 'not ours');
    const report = await updateIntelLists({ dataDir, sources, only: ['tor-exit'] });
    assert.equal(report.outcomes[0]!.status, 'unchanged');
    assert.equal(existsSync(lockPath(dataDir)), false);
    assert.deepEqual(readdirSync(listsDir(dataDir)), ['tor-exit.txt']);
    assert.deepEqual(readdirSync(intelDir(dataDir)).sort(), [
      'asn-index-v1.bin.4242.0123abcd.tmp',
      'lists',
      'manifest.json',
    ]);
  });
});

test('an unreadable previous manifest is reported and replaced by the lists fetched now', async () => {
  await withServer(async (server) => {
    const dataDir = tempDir();
    const sources = parseIntelSources(fixtureSources(server));
    await updateIntelLists({ dataDir, sources });
    writeFileSync(manifestPath(dataDir), 'garbage');

    server.routes.set('/torbulkexitlist', { status: 500 });
    const report = await updateIntelLists({ dataDir, sources });
    assert.match(
      report.previousManifestError ?? '',
      /manifest\.json: the manifest is not valid JSON; starting afresh$/,
    );
    assert.equal(report.outcomes[0]!.kept, null, 'without a manifest the old copy cannot be trusted');
    assert.deepEqual(
      readManifest(dataDir)!.lists.map((l) => l.id),
      ['x4bnet-vpn', 'googlebot', 'google-special-crawlers', 'bingbot'],
    );

    // Every source failing leaves even an unreadable manifest alone: there is nothing better to put there.
    writeFileSync(manifestPath(dataDir), 'garbage');
    for (const path of Object.keys(FIXTURE_ROUTES)) server.routes.set(path, { status: 500 });
    const failed = await updateIntelLists({ dataDir, sources });
    assert.equal(failed.manifestWritten, false);
    assert.equal(readFileSync(manifestPath(dataDir), 'utf8'), 'garbage');
  });
});
