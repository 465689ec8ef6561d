import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStorage } from '../../src/storage/open-database.ts';

const BIN = fileURLToPath(new URL('../../bin/cloakradar.js', import.meta.url));

function cli(dataDir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('migrate, users create, users set-plan', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloakradar-cli-'));
  assert.match(cli(dir, 'migrate').out, /applied: 001-accounts-and-campaigns, 002-clicks-and-conversions/);
  assert.match(cli(dir, 'migrate').out, /up to date/);
  const created = cli(
    dir,
    'users',
    'create',
    '--email',
    'Boss@Example.com',
    '--password',
    'long enough',
    '--plan',
    'professional',
  );
  assert.equal(created.code, 0, created.err);
  assert.match(created.out, /boss@example\.com.*professional/);
  const changed = cli(dir, 'users', 'set-plan', '--email', 'boss@example.com', '--plan', 'enterprise');
  assert.equal(changed.code, 0, changed.err);
  const storage = openStorage(`sqlite:${join(dir, 'cloakradar.db')}`);
  const user = await storage.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
  await storage.close();
  assert.equal(user.plan, 'enterprise');
  assert.match(user.password_hash, /^scrypt\$/);
});

test('user mistakes are one clear line and a non-zero exit, never a stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloakradar-cli-'));
  const cases: Array<[string[], RegExp]> = [
    [['users', 'create', '--email', 'nope', '--password', 'long enough'], /not an email/],
    [['users', 'create', '--email', 'a@example.com', '--password', 'short'], /at least 8/],
    [['users', 'create', '--email', 'a@example.com', '--password', 'long enough', '--plan', 'gold'], /plan/],
    [['users', 'set-plan', '--email', 'ghost@example.com', '--plan', 'starter'], /not found/],
    [['users', 'create'], /required option/],
    [['frobnicate'], /unknown command/],
  ];
  for (const [args, message] of cases) {
    const result = cli(dir, ...args);
    assert.notEqual(result.code, 0, args.join(' '));
    assert.match(result.err, message, args.join(' '));
    assert.doesNotMatch(result.err, /\n\s+at /, 'no stack trace');
  }
  cli(dir, 'users', 'create', '--email', 'a@example.com', '--password', 'long enough');
  const twice = cli(dir, 'users', 'create', '--email', 'a@example.com', '--password', 'long enough');
  assert.notEqual(twice.code, 0);
  assert.match(twice.err, /already registered/);
});

test('a bad configuration value stops serve with one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloakradar-cli-'));
  const result = spawnSync(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, DATA_DIR: dir, PORT: 'abc' },
    encoding: 'utf8',
  });
  assert.equal(result.status, 2);
  assert.equal(result.stderr.trim(), 'cloakradar: PORT must be an integer between 0 and 65535, got "abc"');
});
