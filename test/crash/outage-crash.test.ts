// Security finding 8: PostgreSQL went away, the server was killed -9 moments later, and clicks it had
// already redirected were never stored. The outage here is real: a TCP relay in front of PostgreSQL drops
// every connection and refuses new ones (the server's pool sees exactly what a restart shows it), without
// stopping the PostgreSQL other suites share. The server is a real process, killed with SIGKILL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/open-database.ts';
import { POSTGRES_SKIP_REASON, createPostgresDatabase } from '../helpers/dialects.ts';
import { startServerProcess } from '../helpers/server-process.ts';
import { callApiOk, setUpAccountWithCampaign } from '../helpers/server-api.ts';
import { startClickStream } from '../helpers/click-stream.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test(
  'kill -9 during a PostgreSQL outage loses no redirected click: the restart replays the spool [postgres]',
  { skip: POSTGRES_SKIP_REASON, timeout: 180_000 },
  async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-outage-crash-'));
    const database = await createPostgresDatabase('outage_crash');
    const direct = new URL(database.url);
    const proxy = await startTcpProxy(Number(direct.port || 5432), direct.hostname);
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: viaProxy.toString(),
      TRUST_PROXY: '127.0.0.1',
      JWT_SECRET: 'crash-test-secret-crash-test-secret-0000',
    };
    try {
      const first = await startServerProcess(env);
      const {
        token,
        campaign: { id, uuid },
      } = await setUpAccountWithCampaign(first.baseUrl, 'outage-crash@example.com', {
        name: 'Outage crash',
        destination_url: 'https://shop.example/?cid={clickid}',
      });
      const stream = startClickStream({ baseUrl: first.baseUrl, uuid, workers: 16 });
      await sleep(1_000);
      const beforeOutage = stream.redirected.length;
      proxy.cut();
      // As in the finding: the database goes away, and the server dies moments later, mid-stream.
      await sleep(1_500);
      await first.crash();
      await stream.done;
      const redirected = stream.redirected;
      const duringOutage = redirected.length - beforeOutage;
      assert.deepEqual(stream.unexpected, [], 'every click was redirected');
      assert.ok(duringOutage > 50, `clicks redirected during the outage (${duringOutage})`);
      const spoolDir = join(dataDir, 'spool');
      const spooledBytes = existsSync(spoolDir)
        ? readdirSync(spoolDir).reduce((sum, name) => sum + statSync(join(spoolDir, name)).size, 0)
        : 0;

      proxy.restore();
      const second = await startServerProcess(env);
      const storage = openStorage(database.url);
      try {
        const ids = (await storage.db.selectFrom('clicks').select('id').execute()).map((row) => row.id);
        const stored = new Set(ids);
        assert.equal(stored.size, ids.length, 'no click stored twice');
        const missing = redirected.filter((id) => !stored.has(id));
        assert.deepEqual(
          missing,
          [],
          `${missing.length} of ${redirected.length} redirected clicks were lost (${duringOutage} during the outage)`,
        );
        const stats = await callApiOk(second.baseUrl, 'GET', `/api/v1/campaigns/${id}/stats`, token);
        assert.equal(stats.data.clicks, stored.size, 'the rollups count each stored click once');
        t.diagnostic(
          `${redirected.length} redirected (${duringOutage} during the outage, ${spooledBytes} bytes spooled), ` +
            `all ${stored.size} stored once and counted once`,
        );
        const ready = (await (await fetch(`${second.baseUrl}/readyz`)).json()) as {
          spool: { clicks: number; bytes: number; error: string | null };
        };
        assert.deepEqual(ready.spool, { clicks: 0, bytes: 0, error: null }, 'the spool is emptied after its replay');
      } finally {
        await storage.close();
        await second.stop();
      }
    } finally {
      await proxy.close();
      await database.drop();
    }
  },
);
