// Issue 9's crash promise, with everything in flight at once: clicks streaming through the tracking
// URL, partners' postbacks creating and updating conversions, and webhook deliveries running, when
// the server is killed with SIGKILL — several times — and restarted on the same database. Then:
// every redirected click is stored once, every acknowledged conversion is stored once and counted in
// the stats, and every event committed to the outbox reaches the receiver (README: delivery is at
// least once, so a repeat across a kill is allowed, a missing event is not).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStorage, type Storage } from '../../src/storage/open-database.ts';
import { verifySignature } from '../../src/modules/webhooks/signature.ts';
import { WEBHOOK_EVENT_TYPES } from '../../src/modules/webhooks/webhook-events.ts';
import { DIALECTS, POSTGRES_SKIP_REASON, freshDatabaseUrl } from '../helpers/dialects.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { eventually, startReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';
import { callApiOk, setUpAccountWithCampaign } from '../helpers/server-api.ts';
import { startClickStream } from '../helpers/click-stream.ts';
import {
  finalStateOf,
  planFor,
  possibleStatesOf,
  sendNextPostback,
  type ConversionPlan,
} from '../helpers/conversion-plans.ts';

/** Traffic before each kill -9; varied so the kills land in different phases of the group commit and the outbox. */
const ROUND_MS = [1_200, 2_000, 1_600];
const CLICK_WORKERS = 16;
const POSTBACK_WORKERS = 4;
/** One redirected click in this many gets converted. */
const CONVERT_EVERY = 3;

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SCRIPT = 'python-requests/2.32.3';

/**
 * People on Firefox over http (no secure-context headers expected), each from an address of its own;
 * every 4th click repeats the visitor before it (a duplicate) and every 10th is a script (a bot), so
 * `click.flagged` events are committed with the click batches too.
 */
function visitorOf(round: number) {
  return (w: number, i: number): Record<string, string> => {
    const k = i % 4 === 3 ? i - 1 : i;
    return {
      'x-forwarded-for': `84.${round * CLICK_WORKERS + w}.${k & 255}.${1 + ((k >> 8) & 127)}`,
      'user-agent': i % 10 === 5 ? SCRIPT : FIREFOX,
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'accept-language': 'en-US,en;q=0.5',
    };
  };
}

interface Ledger {
  readonly plans: ConversionPlan[];
  /** Redirected clicks waiting for their first postback. */
  readonly toConvert: string[];
  readonly refused: string[];
}

/** Partner servers: finish started plans first, else convert a waiting click; stop at the first postback the server leaves unanswered. */
function startPostbacks(baseUrl: string, ledger: Ledger): Promise<void> {
  let running = true;
  const worker = async () => {
    while (running) {
      let plan = ledger.plans.find((candidate) => !candidate.sending && candidate.next < candidate.postbacks.length);
      if (!plan && ledger.toConvert.length > 0) {
        plan = planFor(ledger.toConvert.shift()!, ledger.plans.length);
        ledger.plans.push(plan);
      }
      if (!plan) {
        await sleep(5);
        continue;
      }
      if (!(await sendNextPostback(baseUrl, plan, ledger.refused))) running = false;
    }
  };
  return Promise.all(Array.from({ length: POSTBACK_WORKERS }, worker)).then(() => undefined);
}

/** After a restart: every conversion a postback was acknowledged for is stored, once, in a state the postbacks allow. */
async function checkAcknowledgedConversions(storage: Storage, ledger: Ledger): Promise<void> {
  const rows = await storage.db.selectFrom('conversions').select(['dedupe_key', 'click_id', 'status']).execute();
  const byKey = new Map(rows.map((row) => [row.dedupe_key, row]));
  for (const plan of ledger.plans) {
    const allowed = possibleStatesOf(plan);
    if (allowed.length === 0) continue;
    const row = byKey.get(plan.txid !== undefined ? `tx:${plan.txid}` : `click:${plan.clickId}`);
    assert.ok(row, `acknowledged conversion of ${plan.clickId} (${plan.txid ?? 'no txid'}) is stored`);
    assert.equal(row.click_id, plan.clickId);
    assert.ok(
      allowed.includes(row.status),
      `conversion ${plan.txid ?? plan.clickId} is ${row.status}, acknowledged postbacks allow ${allowed.join(' or ')}`,
    );
  }
}

interface ReceivedEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  previous_attributes?: Record<string, unknown>;
}

/** Distinct events the receiver got (verified signatures), by id. */
function receivedEvents(receiver: WebhookReceiver, secret: string): Map<string, ReceivedEvent> {
  const events = new Map<string, ReceivedEvent>();
  for (const request of receiver.requests) {
    const signature = request.headers['x-cloakradar-signature'];
    assert.ok(
      typeof signature === 'string' &&
        verifySignature(secret, signature, request.body, Math.floor(request.receivedAt / 1000)),
      'every delivery is signed with the secret',
    );
    const event = JSON.parse(request.body) as ReceivedEvent;
    assert.equal(request.headers['x-cloakradar-event-id'], event.id);
    events.set(event.id, event);
  }
  return events;
}

/** Follows a conversion's updates from its created event by their previous_attributes; returns where the chain ends. */
function replayConversionEvents(created: ReceivedEvent, updates: ReceivedEvent[]): Record<string, unknown> {
  const current: Record<string, unknown> = { status: created.data.status, payout: created.data.payout };
  const left = [...updates];
  while (left.length > 0) {
    const index = left.findIndex((update) =>
      Object.entries(update.previous_attributes ?? {}).every(([key, value]) => current[key] === value),
    );
    assert.notEqual(
      index,
      -1,
      `conversion ${String(created.data.id)}: an update does not follow from ${JSON.stringify(current)}`,
    );
    const [update] = left.splice(index, 1);
    current.status = update!.data.status;
    current.payout = update!.data.payout;
  }
  return current;
}

for (const dialect of DIALECTS) {
  test(
    `kill -9 with clicks, postbacks and webhook deliveries in flight loses nothing [${dialect.name}]`,
    { timeout: 300_000 },
    async (t) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-allcrash-'));
      const database = await freshDatabaseUrl(dialect.name, dataDir, 'allcrash');
      const receiver = await startReceiver('/hook');
      const env = {
        DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        TRUST_PROXY: '127.0.0.1',
        JWT_SECRET: 'crash-test-secret-crash-test-secret-0000',
        // The receiver listens on 127.0.0.1, which the SSRF guard refuses unless the install allows it.
        WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOKS_RETRY_BASE_SECONDS: '1',
      };
      let server: ServerProcess | undefined;
      let storage: Storage | undefined;
      try {
        server = await startServerProcess(env);
        const { token, campaign } = await setUpAccountWithCampaign(server.baseUrl, 'everything@example.com', {
          name: 'Everything in flight',
          destination_url: 'https://shop.example/?cid={clickid}',
        });
        const webhook = (
          await callApiOk(server.baseUrl, 'POST', '/api/v1/webhooks', token, {
            url: receiver.url,
            events: [...WEBHOOK_EVENT_TYPES],
          })
        ).data;
        const secret = webhook.secret as string;
        storage = openStorage(database.url);

        const ledger: Ledger = { plans: [], toConvert: [], refused: [] };
        const redirected: string[] = [];
        const unexpected: Array<{ status: number; body: string }> = [];
        for (const [round, roundMs] of ROUND_MS.entries()) {
          if (round > 0) {
            server = await startServerProcess(env);
            await checkAcknowledgedConversions(storage, ledger);
          }
          let seen = 0;
          const clicks = startClickStream({
            baseUrl: server.baseUrl,
            uuid: campaign.uuid,
            workers: CLICK_WORKERS,
            visitor: visitorOf(round),
            onRedirect: (clickId) => (++seen % CONVERT_EVERY === 0 ? ledger.toConvert.push(clickId) : undefined),
          });
          const postbacks = startPostbacks(server.baseUrl, ledger);
          await sleep(roundMs);
          // A loaded machine fits less traffic into a round: it runs on until it holds its share of what
          // the checks below need in flight (or 30 s more), so the kill always lands on clicks and conversions.
          const until = Date.now() + 30_000;
          while ((clicks.redirected.length < 40 || ledger.plans.length < 8 * (round + 1)) && Date.now() < until)
            await sleep(50);
          await server.crash();
          await Promise.all([clicks.done, postbacks]);
          redirected.push(...clicks.redirected);
          unexpected.push(...clicks.unexpected);
          t.diagnostic(
            `round ${round + 1}: ${clicks.redirected.length} clicks redirected, ${ledger.plans.length} conversions begun, ${receiver.requests.length} deliveries received so far; kill -9`,
          );
        }

        server = await startServerProcess(env);
        await checkAcknowledgedConversions(storage, ledger);
        // The partners retry what went unanswered and send the rest: every postback is now acknowledged.
        const unfinished = ledger.plans.filter((plan) => plan.next < plan.postbacks.length);
        const last = server;
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            for (let plan = unfinished.shift(); plan; plan = unfinished.shift()) {
              while (plan.next < plan.postbacks.length)
                assert.ok(
                  await sendNextPostback(last.baseUrl, plan, ledger.refused),
                  `postback answered after the restart: ${ledger.refused.at(-1)}`,
                );
            }
          }),
        );
        assert.deepEqual(unexpected, [], 'every click was redirected');
        assert.deepEqual(ledger.refused, [], 'no postback was refused');
        assert.ok(redirected.length > 100, `enough clicks in flight (${redirected.length})`);
        assert.ok(ledger.plans.length > 20, `enough conversions in flight (${ledger.plans.length})`);

        // Clicks: every redirect is a stored click, once; the rollups count exactly the stored clicks.
        const stored = await storage.db
          .selectFrom('clicks')
          .select(['id', 'fraud_types', 'is_verified_bot'])
          .where('campaign_id', '=', campaign.id)
          .execute();
        const storedIds = new Set(stored.map((click) => click.id));
        assert.equal(storedIds.size, stored.length, 'no click is stored twice');
        assert.equal(new Set(redirected).size, redirected.length, 'no click id was handed out twice');
        const lost = redirected.filter((id) => !storedIds.has(id));
        assert.deepEqual(lost, [], `${lost.length} of ${redirected.length} redirected clicks were lost`);

        // Conversions: one per plan, in the state its postbacks left; the stats count the non-rejected ones.
        const conversions = await storage.db
          .selectFrom('conversions')
          .select(['id', 'dedupe_key', 'click_id', 'status', 'payout'])
          .execute();
        assert.equal(conversions.length, ledger.plans.length, 'exactly one conversion per converted click');
        const byKey = new Map(conversions.map((row) => [row.dedupe_key, row]));
        let counted = 0;
        let revenue = 0;
        for (const plan of ledger.plans) {
          const row = byKey.get(plan.txid !== undefined ? `tx:${plan.txid}` : `click:${plan.clickId}`);
          const expected = finalStateOf(plan);
          assert.deepEqual(row && { click_id: row.click_id, status: row.status, payout: row.payout }, {
            click_id: plan.clickId,
            ...expected,
          });
          if (expected.status !== 'rejected') {
            counted += 1;
            revenue += expected.payout;
          }
        }
        const stats = (await callApiOk(last.baseUrl, 'GET', `/api/v1/campaigns/${campaign.id}/stats`, token)).data;
        assert.deepEqual(
          { clicks: stats.clicks, conversions: stats.conversions, revenue: stats.revenue },
          { clicks: stored.length, conversions: counted, revenue: Math.round(revenue * 100) / 100 },
          'the campaign stats count every stored click and every counted conversion once',
        );

        // Events: every outbox row reaches the receiver (the last kill's leased deliveries wait out their 15 s lease).
        await eventually(
          async () => {
            const open = await storage!.db
              .selectFrom('webhook_deliveries')
              .select('id')
              .where('status', '!=', 'succeeded')
              .limit(1)
              .execute();
            return open.length === 0;
          },
          45_000,
          'every webhook delivery to succeed',
          250,
        );
        const outbox = await storage.db.selectFrom('webhook_events').select(['id', 'type']).execute();
        const received = receivedEvents(receiver, secret);
        assert.deepEqual(
          [...received.keys()].sort(),
          outbox.map((event) => event.id).sort(),
          'the receiver saw every committed event, and no event that was not committed',
        );
        const ofType = (type: string) => [...received.values()].filter((event) => event.type === type);

        // Each conversion has exactly one conversion.created, and its updates lead to its stored state.
        const created = ofType('conversion.created');
        assert.deepEqual(
          created.map((event) => event.data.id).sort(),
          conversions.map((row) => row.id).sort(),
          'one conversion.created per stored conversion',
        );
        const updates = ofType('conversion.updated');
        for (const row of conversions) {
          const first = created.find((event) => event.data.id === row.id)!;
          const end = replayConversionEvents(
            first,
            updates.filter((event) => event.data.id === row.id),
          );
          assert.deepEqual(
            end,
            { status: row.status, payout: row.payout },
            `conversion ${row.id}: its events end where it is stored`,
          );
        }
        // Each flagged click has exactly one click.flagged (committed with its batch or its late finding).
        const flagged = stored
          .filter((click) => click.fraud_types !== '[]' && click.is_verified_bot !== 1)
          .map((click) => click.id)
          .sort();
        assert.deepEqual(
          ofType('click.flagged')
            .map((event) => event.data.id)
            .sort(),
          flagged,
          'one click.flagged per flagged click',
        );

        const repeats = receiver.requests.length - received.size;
        t.diagnostic(
          `${redirected.length} redirected of ${stored.length} stored clicks (${flagged.length} flagged); ${conversions.length} conversions (${counted} counted, ${updates.length} updates); ` +
            `${outbox.length} events committed, all delivered (${repeats} repeated across a kill: at least once); ${ofType('fraud.alert').length} fraud.alert`,
        );
      } finally {
        await server?.stop();
        await storage?.close();
        await receiver.close();
        await database.drop();
      }
    },
  );
}
if (POSTGRES_SKIP_REASON)
  test('kill -9 with everything in flight [postgres]', { skip: POSTGRES_SKIP_REASON }, () => undefined);
