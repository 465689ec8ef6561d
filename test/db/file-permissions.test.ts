import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/open-database.ts';
import { loadConfig } from '../../src/config.ts';

/** The data folder holds webhook secrets (the database) and the key that signs every session (jwt-secret). */

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** The usual umask, set for the test so the result does not depend on the machine's. */
function withUmask<T>(mask: number, run: () => Promise<T>): Promise<T> {
  const previous = process.umask(mask);
  return run().finally(() => process.umask(previous));
}

test('a new database and its -wal and -shm files are owner-only (0600) under umask 022', () =>
  withUmask(0o022, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloakradar-perms-'));
    const path = join(dir, 'cloakradar.db');
    const storage = openStorage(`sqlite:${path}`);
    try {
      await storage.migrate();
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        assert.ok(existsSync(file), `${file} exists while open`);
        assert.equal(modeOf(file).toString(8), '600', file);
      }
    } finally {
      await storage.close();
    }
  }));

test('a database an older version left world-readable is made owner-only when opened', () =>
  withUmask(0o022, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloakradar-perms-'));
    const path = join(dir, 'cloakradar.db');
    const first = openStorage(`sqlite:${path}`);
    await first.migrate();
    await first.close();
    chmodSync(path, 0o644);
    const again = openStorage(`sqlite:${path}`);
    try {
      await again.migrate();
      assert.equal(modeOf(path).toString(8), '600');
    } finally {
      await again.close();
    }
  }));

test('jwt-secret is created owner-only, and an old readable one is closed down', () =>
  withUmask(0o000, async () => {
    const env = { PUBLIC_URL: 'http://track.test', LOG_LEVEL: 'silent' };
    const dir = mkdtempSync(join(tmpdir(), 'cloakradar-perms-'));
    loadConfig({ ...env, DATA_DIR: dir });
    assert.equal(modeOf(join(dir, 'jwt-secret')).toString(8), '600', 'even with umask 000');

    const old = mkdtempSync(join(tmpdir(), 'cloakradar-perms-'));
    writeFileSync(join(old, 'jwt-secret'), 'x'.repeat(64), { mode: 0o644 });
    const config = loadConfig({ ...env, DATA_DIR: old });
    assert.equal(config.jwtSecret, 'x'.repeat(64));
    assert.equal(modeOf(join(old, 'jwt-secret')).toString(8), '600');
  }));
