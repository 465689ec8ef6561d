import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from '../../config.ts';
import { DEFAULT_INTEL_SOURCES, IntelSourcesError, loadIntelSourcesFile, parseIntelSources } from './sources.ts';
import { FIXTURES, tempDir } from './test-support.ts';

test('the built-in sources: Tor, X4BNet VPN, Google, Bing and Apple crawler ranges, iCloud Private Relay', () => {
  assert.deepEqual(
    DEFAULT_INTEL_SOURCES.map((s) => [s.id, s.kind, s.company, s.format, s.minEntries]),
    [
      ['tor-exit', 'tor', null, 'lines', 500],
      ['x4bnet-vpn', 'vpn', null, 'cidr-lines', 1000],
      ['googlebot', 'crawler', 'google', 'google-json', 10],
      ['google-special-crawlers', 'crawler', 'google', 'google-json', 10],
      ['google-user-triggered-fetchers', 'crawler', 'google', 'google-json', 10],
      ['bingbot', 'crawler', 'microsoft', 'google-json', 10],
      ['applebot', 'crawler', 'apple', 'google-json', 10],
      ['icloud-private-relay', 'relay', null, 'geofeed-csv', 1000],
    ],
  );
  assert.ok(
    DEFAULT_INTEL_SOURCES.every(
      (s) => s.url.startsWith('https://') && s.maxBytes === 50 * 1024 * 1024 && s.timeoutMs === 60_000,
    ),
  );
});

test('a sources file: defaults filled in, relative urls next to the file, company ids as in verified-crawlers', () => {
  const sources = loadIntelSourcesFile(join(FIXTURES, 'sources.json'));
  assert.equal(sources.length, 5);
  assert.equal(sources[0]!.url, pathToFileURL(join(FIXTURES, 'tor-exit.txt')).href);
  assert.equal(sources[0]!.company, null);
  assert.equal(sources[2]!.company, 'google');
  assert.equal(sources[4]!.company, 'microsoft');
  assert.equal(sources[0]!.timeoutMs, 60_000);

  const [custom] = parseIntelSources([
    {
      id: 'duckduckbot',
      kind: 'crawler',
      company: ' DuckDuckGo ',
      url: 'https://example.com/a.json',
      format: 'google-json',
    },
  ]);
  assert.equal(custom!.company, 'duckduckgo', 'read case-insensitively');
  assert.equal(custom!.minEntries, 10, 'the minimum defaults by kind');
});

test('a bad sources file is one clear line', () => {
  const base = { id: 'x', kind: 'tor', url: 'https://example.com/x', format: 'lines', minEntries: 1 };
  const cases: Array<[unknown, RegExp]> = [
    [[], /non-empty JSON array/],
    [{}, /non-empty JSON array/],
    [['x'], /sources\[0\] must be an object/],
    [[{ ...base, id: 'Bad Id' }], /id must be lowercase/],
    [[{ ...base, id: '../etc' }], /id must be lowercase/],
    [[{ ...base, kind: 'proxy' }], /kind must be tor, vpn, crawler/],
    [[{ ...base, format: 'csv' }], /format must be lines, cidr-lines, google-json/],
    [[{ ...base, kind: 'crawler' }], /company must be one of google, microsoft, .* for a crawler list, got undefined/],
    [[{ ...base, kind: 'crawler', company: 'gogle' }], /company must be one of .*got "gogle"/],
    [[{ ...base, company: 'Google' }], /company only applies to crawler lists/],
    [[{ ...base, url: 'ftp://example.com/x' }], /must be http:, https: or file:/],
    [[{ ...base, url: '' }], /url is required/],
    [[{ ...base, minEntries: -1 }], /minEntries must be an integer of at least 0/],
    [[{ ...base, timeoutMs: 0 }], /timeoutMs must be an integer of at least 1/],
    [[{ ...base, minentries: 5 }], /unknown key "minentries"/],
    [[base, base], /the id "x" is used twice/],
  ];
  for (const [value, message] of cases) {
    assert.throws(
      () => parseIntelSources(value),
      (error: unknown) => error instanceof IntelSourcesError && message.test(error.message),
      JSON.stringify(value),
    );
  }
});

test('config: INTEL_SOURCES and INTEL_RELOAD_SECONDS', () => {
  const dir = tempDir();
  const defaults = loadConfig({ DATA_DIR: dir });
  assert.equal(defaults.intelSources, DEFAULT_INTEL_SOURCES);
  assert.equal(defaults.intelReloadSeconds, 60);

  const custom = loadConfig({
    DATA_DIR: dir,
    INTEL_SOURCES: join(FIXTURES, 'sources.json'),
    INTEL_RELOAD_SECONDS: '0',
  });
  assert.equal(custom.intelSources[1]!.id, 'vpn');
  assert.equal(custom.intelReloadSeconds, 0);

  writeFileSync(join(dir, 'broken.json'), '[{"id": "x"');
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ INTEL_SOURCES: join(dir, 'missing.json') }, /^INTEL_SOURCES: cannot read .*missing\.json: ENOENT$/],
    [{ INTEL_SOURCES: join(dir, 'broken.json') }, /^INTEL_SOURCES: .*broken\.json is not valid JSON/],
    [{ INTEL_RELOAD_SECONDS: 'often' }, /^INTEL_RELOAD_SECONDS must be a whole number/],
    [{ INTEL_RELOAD_SECONDS: '-5' }, /^INTEL_RELOAD_SECONDS/],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => loadConfig({ DATA_DIR: dir, ...env }),
      (error: unknown) => error instanceof ConfigError && message.test(error.message),
      JSON.stringify(env),
    );
  }
});
