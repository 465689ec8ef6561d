// `cloakradar intel update` and `intel status` as an operator runs them, against fixture lists served
// from this process (spawned asynchronously so the server can answer) or read from file: URLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifestPath, readManifest } from '../../src/intel/lists/storage.ts';
import {
  FIXTURE_ROUTES,
  FIXTURES,
  fixtureSources,
  startFixtureServer,
  tempDir,
  writeSourcesFile,
} from '../../src/intel/lists/test-support.ts';

const BIN = fileURLToPath(new URL('../../bin/cloakradar.js', import.meta.url));

interface Result {
  code: number | null;
  out: string;
  err: string;
  ms: number;
}

function cli(dataDir: string, env: Record<string, string>, ...args: string[]): Promise<Result> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', ...env }, encoding: 'utf8' },
      (error, out, err) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
          out,
          err,
          ms: Date.now() - started,
        });
      },
    );
  });
}

const row = (out: string, id: string): string => out.split('\n').find((line) => line.startsWith(`${id} `)) ?? '';

test('intel update downloads, checks and swaps in every list; intel status shows their age', async () => {
  const server = await startFixtureServer(FIXTURE_ROUTES);
  try {
    const dataDir = tempDir();
    const env = { INTEL_SOURCES: writeSourcesFile(dataDir, fixtureSources(server)) };
    const status0 = await cli(dataDir, env, 'intel', 'status');
    assert.equal(status0.code, 0, status0.err);
    assert.match(status0.out, /No IP lists yet: run `cloakradar intel update`/);

    const first = await cli(dataDir, env, 'intel', 'update');
    assert.equal(first.code, 0, first.err);
    assert.equal(first.err, '');
    assert.match(first.out, /^Updating 5 IP lists into .*intel\/lists$/m);
    assert.match(first.out, /^\[\d\/5\] tor-exit: updated, 11 entries \(\d+\.\d s\)$/m);
    assert.match(first.out, /^LIST\s+KIND\s+ENTRIES\s+STATUS$/m);
    assert.match(row(first.out, 'tor-exit'), /^tor-exit\s+tor\s+11\s+updated$/);
    assert.match(row(first.out, 'googlebot'), /^googlebot\s+crawler\s+9\s+updated$/);
    assert.ok(first.ms < 10_000, `the command ends promptly (${first.ms} ms)`);
    assert.equal(readManifest(dataDir)!.lists.length, 5);

    server.routes.set('/torbulkexitlist', { status: 500 });
    const partial = await cli(dataDir, env, 'intel', 'update');
    assert.equal(partial.code, 0, 'a partial failure is not an error: the failed list keeps its copy');
    assert.match(
      row(partial.out, 'tor-exit'),
      /^tor-exit\s+tor\s+11\s+failed: HTTP 500 Internal Server Error \(keeping the copy fetched \d{4}-\d\d-\d\dT[\d:.]+Z\)$/,
    );
    assert.match(row(partial.out, 'x4bnet-vpn'), /^x4bnet-vpn\s+vpn\s+11\s+unchanged$/);
    assert.equal(partial.err.trim(), '1 of 5 sources failed; each keeps its previous copy, if any');

    const only = await cli(dataDir, env, 'intel', 'update', '--only', 'bingbot, googlebot');
    assert.equal(only.code, 0, only.err);
    assert.match(only.out, /^Updating 2 IP lists/m);
    assert.deepEqual(only.out.split('\n').filter((line) => /^\[\d\/2\]/.test(line)).length, 2);

    const status = await cli(dataDir, env, 'intel', 'status');
    assert.equal(status.code, 0, status.err);
    assert.match(status.out, /^LIST\s+KIND\s+ENTRIES\s+FETCHED\s+AGE\s+CHANGED$/m);
    assert.match(row(status.out, 'tor-exit'), /^tor-exit\s+tor\s+11\s+\d{4}-\d\d-\d\dT\S+Z\s+\d+s\s+\S+Z$/);
    assert.match(row(status.out, 'bingbot'), /^bingbot\s+crawler\s+4\s/);
  } finally {
    await server.close();
  }
});

test('when every source fails the command says so and exits 1, leaving nothing behind', async () => {
  const server = await startFixtureServer({});
  try {
    const dataDir = tempDir();
    const result = await cli(
      dataDir,
      { INTEL_SOURCES: writeSourcesFile(dataDir, fixtureSources(server)) },
      'intel',
      'update',
    );
    assert.equal(result.code, 1);
    assert.match(row(result.out, 'tor-exit'), /^tor-exit\s+tor\s+-\s+failed: HTTP 404 Not Found \(no copy in use\)$/);
    assert.equal(result.err.trim(), 'cloakradar: every source failed; the lists in use are unchanged');
    assert.equal(existsSync(manifestPath(dataDir)), false);
  } finally {
    await server.close();
  }
});

test('file: sources work without any server', async () => {
  const dataDir = tempDir();
  const result = await cli(dataDir, { INTEL_SOURCES: join(FIXTURES, 'sources.json') }, 'intel', 'update');
  assert.equal(result.code, 0, result.err);
  assert.match(row(result.out, 'vpn'), /^vpn\s+vpn\s+11\s+updated$/);
  assert.deepEqual(
    readManifest(dataDir)!.lists.map((l) => [l.id, l.company]),
    [
      ['tor-exit', null],
      ['vpn', null],
      ['googlebot', 'google'],
      ['google-special-crawlers', 'google'],
      ['bingbot', 'microsoft'],
    ],
  );
});

test('user mistakes are one clear line and a non-zero exit', async () => {
  const dataDir = tempDir();
  const sources = join(FIXTURES, 'sources.json');
  writeFileSync(
    join(dataDir, 'bad-sources.json'),
    JSON.stringify([{ id: 'tor', kind: 'tor', url: 'gopher://x', format: 'lines' }]),
  );
  const cases: Array<[Record<string, string>, string[], RegExp]> = [
    [
      { INTEL_SOURCES: sources },
      ['intel', 'update', '--only', 'tor-exit,nope'],
      /^cloakradar: unknown list "nope"; the configured lists are tor-exit, vpn, googlebot, google-special-crawlers, bingbot$/,
    ],
    [
      { INTEL_SOURCES: sources },
      ['intel', 'update', '--only', ' , '],
      /^cloakradar: --only needs one or more list ids/,
    ],
    [
      { INTEL_SOURCES: join(dataDir, 'bad-sources.json') },
      ['intel', 'update'],
      /^cloakradar: INTEL_SOURCES: .*bad-sources\.json: sources\[0\] \("tor"\)\.url must be http:, https: or file:, got "gopher:"$/,
    ],
    [
      { INTEL_SOURCES: join(dataDir, 'none.json') },
      ['intel', 'status'],
      /^cloakradar: INTEL_SOURCES: cannot read .*none\.json: ENOENT$/,
    ],
    [{ INTEL_RELOAD_SECONDS: 'soon' }, ['intel', 'status'], /^cloakradar: INTEL_RELOAD_SECONDS must be a whole number/],
    [{}, ['intel', 'frobnicate'], /unknown command/],
  ];
  for (const [env, args, message] of cases) {
    const result = await cli(dataDir, env, ...args);
    assert.notEqual(result.code, 0, args.join(' '));
    assert.match(result.err.trim().split('\n')[0]!, message, args.join(' '));
    assert.doesNotMatch(result.err, /\n\s+at /, 'no stack trace');
  }

  mkdirSync(dirname(manifestPath(dataDir)), { recursive: true });
  writeFileSync(manifestPath(dataDir), '{"format":');
  const broken = await cli(dataDir, {}, 'intel', 'status');
  assert.equal(broken.code, 1);
  assert.match(
    broken.err.trim(),
    /^cloakradar: .*manifest\.json: the manifest is not valid JSON; run `cloakradar intel update`$/,
  );
});
