// createServices on its own, with no Fastify and no HTTP: the services it builds are wired to each
// other (campaigns ↔ statistics, tracking → rollups) on a real, migrated database of each dialect.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyBaseLogger } from 'fastify';
import { createServices, type AppServices } from '../../src/app-services.ts';
import { AppError } from '../../src/errors.ts';
import {
  DIALECTS,
  POSTGRES_SKIP_REASON,
  openTestStorage,
  type TestDialect,
  type TestStorage,
} from '../helpers/dialects.ts';
import { testConfig, testIntel } from '../helpers/test-app.ts';

const silent = () => undefined;
const SILENT_LOG: FastifyBaseLogger = {
  level: 'silent',
  fatal: silent,
  error: silent,
  warn: silent,
  info: silent,
  debug: silent,
  trace: silent,
  silent,
  child: () => SILENT_LOG,
};

const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

function suite(dialect: TestDialect) {
  describe(`createServices [${dialect.name}]`, () => {
    let storage: TestStorage;
    let created: AppServices;
    let closed = false;

    before(async () => {
      storage = openTestStorage(dialect);
      await storage.migrate();
      created = await createServices(testConfig(), storage, {
        log: SILENT_LOG,
        intel: await testIntel(),
        retention: { intervalMs: 0 },
        webhooks: { runWorker: false },
      });
    });
    after(async () => {
      // A failed test above must not leave jobs and timers holding the process open.
      if (!closed) await created?.close();
      await storage.dispose();
    });

    test('routes get services only: no storage among them', () => {
      assert.equal('storage' in created.services, false);
      assert.equal('db' in created.services, false);
    });

    test('an account and a campaign made through the services are seen by statistics, and a click by both', async () => {
      const { services, tracking } = created;
      const { account } = await services.accounts.register('wiring@example.com', 'correct horse battery');
      const { account: stranger } = await services.accounts.register('stranger@example.com', 'correct horse battery');
      const campaign = await services.campaigns.create(account.id, {
        name: 'Wiring',
        cost_model: 'cpc',
        cost_value: 0.5,
        destination_url: 'https://example.com/?cid={clickid}',
      });

      // Statistics find the campaign through the campaign lookup: the owner reads zeros, anyone else a 404.
      const empty = await services.stats.campaign(account.id, campaign.id, {});
      assert.equal(empty.clicks, 0);
      await assert.rejects(
        services.stats.campaign(stranger.id, campaign.id, {}),
        (error: unknown) => error instanceof AppError && error.code === 'NOT_FOUND',
      );

      // One click down the hot path (campaign cache, detection, recorder, rollups) without a request.
      const tracked = await tracking.campaignCache.get(campaign.uuid);
      assert.ok(tracked, 'the tracker sees the campaign the campaign service created');
      const click = await tracking.tracker.track(
        tracked,
        {
          ip: '203.0.113.7',
          userAgent: BROWSER,
          referrer: null,
          headers: { accept: 'text/html', 'accept-language': 'en-US,en;q=0.9' },
          query: {},
          method: 'GET',
          secure: true,
        },
        Date.now(),
      );
      assert.equal(click.recorded, 'committed');
      assert.equal(click.destination, `https://example.com/?cid=${click.clickId}`);

      // The rollups the recorder wrote, priced with the cost terms from the campaign lookup.
      const stats = await services.stats.campaign(account.id, campaign.id, {});
      assert.equal(stats.clicks, 1);
      assert.equal(stats.cost, 0.5);
      assert.equal((await services.stats.overall(account.id, {})).clicks, 1);
      assert.equal((await services.stats.overall(stranger.id, {})).clicks, 0);

      // And the campaign reads today's count back from statistics: the other direction of the wiring.
      const listed = await services.campaigns.get(account.id, campaign.id);
      assert.equal(listed.clicks_today, 1);
      assert.equal(listed.conversions_today, 0);
    });

    test('starts its background jobs and closes them, leaving the storage open to its owner', async () => {
      created.start();
      await created.close();
      closed = true;
      // The storage is the caller's: still usable after the services are gone.
      const users = await storage.db.selectFrom('users').select('id').execute();
      assert.equal(users.length, 2);
    });
  });
}

for (const dialect of DIALECTS) suite(dialect);
if (POSTGRES_SKIP_REASON) test('createServices [postgres]', { skip: POSTGRES_SKIP_REASON }, () => undefined);
