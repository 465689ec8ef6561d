// Security finding 8: PostgreSQL was restarted, the server was killed -9 0.4 s later, and clicks it had
// already redirected were never stored. The restart here is a real one: the test runs its own throwaway
// PostgreSQL cluster (restarting the shared server would fail the other files running beside it), stops
// it with `pg_ctl stop -m fast` while clicks stream in, kills the server (a real process) with SIGKILL
// during the outage, then starts PostgreSQL and the server again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/open-database.ts';
import { POSTGRES_SKIP_REASON } from '../helpers/dialects.ts';
import { startServerProcess } from '../helpers/server-process.ts';
import { callApiOk, setUpAccountWithCampaign } from '../helpers/server-api.ts';
import { startClickStream } from '../helpers/click-stream.ts';
import { THROWAWAY_POSTGRES_SKIP_REASON, startThrowawayPostgres } from '../helpers/throwaway-postgres.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test(
  'kill -9 during a PostgreSQL outage loses no redirected click: the restart replays the spool [postgres]',
  { skip: POSTGRES_SKIP_REASON || THROWAWAY_POSTGRES_SKIP_REASON, timeout: 180_000 },
  async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-outage-crash-'));
    const database = await startThrowawayPostgres('outage_crash');
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
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
      // As in the finding: PostgreSQL restarts, and the server dies during the restart, mid-stream.
      await database.stop();
      await sleep(1_000);
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

      await database.start();
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
      await database.destroy();
    }
  },
);
