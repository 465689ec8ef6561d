// A PostgreSQL cluster of a test's own (initdb in a temp dir, its own port), so the test can stop and
// start a REAL PostgreSQL: restarting the shared server at CLOAKRADAR_TEST_PG would fail every other
// test file running beside it. PostgreSQL refuses to run as root, so as root the cluster belongs to the
// `postgres` OS user and its tools run through `runuser`.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './server-process.ts';

const run = promisify(execFile);
const ROOT = process.getuid?.() === 0;

/** The bin directory of the first installed PostgreSQL, as `ls -d /usr/lib/postgresql/x/bin | head -1`. */
function findPostgresBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const version = readdirSync(base)
    .sort()
    .find((name) => existsSync(join(base, name, 'bin', 'initdb')));
  return version && join(base, version, 'bin');
}

/** The uid and gid of the `postgres` OS user, when we are root (undefined if there is none). */
function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres']).toString().trim()));
    return { uid: uid!, gid: gid! };
  } catch {
    return undefined;
  }
}

const BIN = findPostgresBin();
const OWNER = ROOT ? postgresUser() : undefined;

export const THROWAWAY_POSTGRES_SKIP_REASON: string | false = !BIN
  ? 'initdb not found under /usr/lib/postgresql/*/bin: no throwaway PostgreSQL cluster'
  : ROOT && !OWNER
    ? 'running as root without a `postgres` OS user: PostgreSQL will not run as root'
    : false;

export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:PORT/DATABASE */
  readonly url: string;
  /** `pg_ctl stop -m fast`: every connection dropped, new ones refused until start(). */
  stop(): Promise<void>;
  /** `pg_ctl start`, waiting until it accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl stop -m immediate` (if running) and the cluster's directory removed. */
  destroy(): Promise<void>;
}

/** A PostgreSQL binary run as the cluster's owner (root hands it to the `postgres` user). */
function pg(tool: string, args: string[]) {
  const path = join(BIN!, tool);
  return ROOT ? run('runuser', ['-u', 'postgres', '--', path, ...args]) : run(path, args);
}

export async function startThrowawayPostgres(database: string): Promise<ThrowawayPostgres> {
  if (THROWAWAY_POSTGRES_SKIP_REASON) throw new Error(THROWAWAY_POSTGRES_SKIP_REASON);
  const dir = mkdtempSync(join(tmpdir(), 'cloakradar-pg-'));
  chmodSync(dir, 0o700);
  if (OWNER) chownSync(dir, OWNER.uid, OWNER.gid);
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const ctl = (...args: string[]) => pg('pg_ctl', ['-D', dataDir, ...args]);
  const start = async () => {
    await ctl('start', '-w', '-t', '60', '-l', join(dir, 'log'), '-o', options);
    await pg('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-t', '30']);
  };
  try {
    await pg('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await start();
    await pg('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database]);
  } catch (error) {
    await ctl('stop', '-m', 'immediate').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop: async () => {
      await ctl('stop', '-w', '-m', 'fast');
    },
    start,
    destroy: async () => {
      await ctl('stop', '-m', 'immediate').catch(() => undefined); // already stopped is fine
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
