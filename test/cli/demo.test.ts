import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStorage } from '../../src/storage/open-database.ts';

const BIN = fileURLToPath(new URL('../../bin/cloakradar.js', import.meta.url));
/** 300 clicks take a few seconds; building the ASN index on a cold data folder adds a few more. */
const TIME_LIMIT_MS = 120_000;

function demo(dataDir: string, ...args: string[]) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [BIN, 'demo', ...args], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'silent',
      SIGNUP: 'false',
      CRAWLER_DNS_SERVERS: 'off',
    },
    encoding: 'utf8',
    timeout: TIME_LIMIT_MS,
  });
  return {
    code: result.status,
    signal: result.signal,
    out: result.stdout,
    err: result.stderr,
    ms: Date.now() - started,
  };
}

test(
  'demo sends labelled traffic through the real tracking URL and postbacks into a demo account',
  { timeout: TIME_LIMIT_MS + 30_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloakradar-demo-'));
    const run = demo(dir, '--clicks', '300', '--seed', '1');
    assert.equal(run.signal, null, `the demo did not finish within ${TIME_LIMIT_MS} ms:\n${run.err}`);
    assert.equal(run.code, 0, run.err);
    assert.doesNotMatch(run.err, /\n\s+at /, 'no stack trace');
    assert.match(run.out, /demo@cloakradar\.local/);
    assert.match(run.out, /password {2}\S{12,}/, 'a generated password is printed once');

    const storage = openStorage(`sqlite:${join(dir, 'cloakradar.db')}`);
    try {
      const clicks = await storage.db
        .selectFrom('clicks')
        .select(['status', 'action', 'fraud_types', 'is_verified_bot', 'user_agent'])
        .execute();
      assert.ok(clicks.length >= 290, `about 300 clicks recorded, got ${clicks.length}`);
      const statuses = new Set(clicks.map((click) => click.status));
      assert.ok(statuses.has('real') && statuses.has('bot'), `real and bot clicks, got ${[...statuses].join(', ')}`);
      assert.ok(statuses.size >= 3, `several statuses, got ${[...statuses].join(', ')}`);
      assert.ok(
        clicks.some((click) => JSON.parse(click.fraud_types).includes('bot')),
        'declared bots are flagged',
      );

      const verified = clicks.filter((click) => click.is_verified_bot === 1);
      assert.ok(verified.length > 0, 'the simulation includes verified ad crawlers');
      for (const click of verified) {
        assert.equal(click.action, 'redirected', `${click.user_agent} reaches the real destination`);
        assert.equal(click.status, 'bot');
        assert.deepEqual(JSON.parse(click.fraud_types), [], `${click.user_agent} is not fraud`);
      }

      const conversions = await storage.db.selectFrom('conversions').select(['payout', 'click_id']).execute();
      assert.ok(conversions.length > 0, 'postbacks recorded conversions');
      assert.ok(
        conversions.every((conversion) => conversion.payout > 0),
        'with payouts',
      );

      const campaigns = await storage.db.selectFrom('campaigns').select(['name', 'destination_url']).execute();
      assert.equal(campaigns.length, 3);
      for (const campaign of campaigns) assert.match(campaign.destination_url ?? '', /\{clickid\}/);
    } finally {
      await storage.close();
    }
  },
);

test('demo mistakes are one line and a non-zero exit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloakradar-demo-'));
  const cases: Array<[string[], RegExp]> = [
    [['--clicks', '0'], /--clicks must be a whole number/],
    [['--clicks', 'many'], /--clicks must be a whole number/],
    [['--seed', '-3'], /--seed must be a whole number/],
    [['--email', 'nope'], /not an email/],
    [['--password', 'short'], /at least 8/],
  ];
  for (const [args, message] of cases) {
    const result = demo(dir, ...args);
    assert.notEqual(result.code, 0, args.join(' '));
    assert.match(result.err, message, args.join(' '));
    assert.equal(result.err.trim().split('\n').length, 1, `one line: ${result.err}`);
  }
});
