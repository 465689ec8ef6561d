import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';
import { campaignOwnerId, type ExtraAppOptions } from '../helpers/test-app.ts';
import { bulkClickRow, writeClicks } from '../helpers/bulk-clicks.ts';
import { googleError, startAdPlatformReceiver, type AdPlatformReceiver } from '../helpers/ad-platform-receiver.ts';

// Started before the suites are declared: their environment names its address.
const receiver: AdPlatformReceiver = await startAdPlatformReceiver();
after(async () => {
  await receiver.close();
});

const FAST: ExtraAppOptions = {
  connections: {
    pollIntervalMs: 20,
    timeoutMs: 400,
    retry: { baseDelayMs: 50, maxDelayMs: 200, maxAgeMs: 60_000, jitter: 0.1 },
  },
};
const env = { ...receiver.env, CONNECTIONS_SYNC_MINUTES: '0' };

const GOOGLE_SECRETS = {
  client_id: 'client-1.apps.googleusercontent.com',
  client_secret: 'GOCSPX-secret-value',
  refresh_token: 'refresh-ok',
  developer_token: 'dev-token-123',
};

let customerCounter = 0;
const nextCustomer = () => String(1_000_000_000 + ++customerCounter);
let campaignCounter = 0;
const nextGoogleCampaign = () => String(20_000 + ++campaignCounter);

async function connectGoogle(t: HttpTestApp, token: string, extra: Record<string, unknown> = {}) {
  const customer = nextCustomer();
  const response = await t.request({
    method: 'POST',
    url: '/api/v1/connections',
    token,
    payload: {
      platform: 'google',
      name: 'Google Ads',
      customer_id: `${customer.slice(0, 3)}-${customer.slice(3, 6)}-${customer.slice(6)}`,
      login_customer_id: '9998887776',
      conversion_action_id: '555',
      currency: 'EUR',
      credentials: GOOGLE_SECRETS,
      ...extra,
    },
  });
  assert.equal(response.statusCode, 201, response.body);
  return { ...(response.json().data as { id: number; status: string }), customer };
}

async function connectMeta(t: HttpTestApp, token: string, accessToken = 'meta-ok') {
  const response = await t.request({
    method: 'POST',
    url: '/api/v1/connections',
    token,
    payload: { platform: 'meta', name: 'Meta', pixel_id: '123456789', credentials: { access_token: accessToken } },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().data as { id: number };
}

/** A stored click two minutes old (older than any fake-lead minimum), with the platform's click ids in its query. */
async function storedClick(
  t: HttpTestApp,
  campaignId: number,
  query: Record<string, string>,
  at = Date.now() - 120_000,
) {
  const row = bulkClickRow(await campaignOwnerId(t, campaignId), campaignId, {
    at,
    ip: '84.128.9.9',
    fields: { query: JSON.stringify(query), user_agent: 'Mozilla/5.0 (Windows NT 10.0) Chrome/120' },
  });
  await writeClicks(t.storage, [row]);
  return row;
}

async function convert(t: HttpTestApp, token: string, payload: Record<string, unknown>) {
  const response = await t.request({ method: 'POST', url: '/api/v1/conversions', token, payload });
  assert.ok(response.statusCode === 201 || response.statusCode === 200, response.body);
  return response.json().data as { id: number; suspicious: boolean };
}

async function logOf(t: HttpTestApp, token: string, id: number) {
  const response = await t.request({ method: 'GET', url: `/api/v1/connections/${id}/log?per_page=100`, token });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().data as Array<{
    action: string;
    outcome: string;
    message: string;
    changes: unknown;
    request: unknown;
  }>;
}

async function connection(t: HttpTestApp, token: string, id: number) {
  const response = await t.request({ method: 'GET', url: `/api/v1/connections/${id}`, token });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().data as { status: string; last_error: string | null };
}

let txCounter = 0;
/** The receiver is shared by both dialects' suites: every transaction id is unique to its test run. */
const tx = (name: string) => `${name}-${++txCounter}-${Date.now()}`;

/** Polled straight from the table: the API's own rate limit would throttle a busy wait. */
async function logLines(t: HttpTestApp, connectionId: number) {
  return t.storage.db
    .selectFrom('connection_log')
    .select(['action', 'outcome'])
    .where('connection_id', '=', connectionId)
    .execute();
}

async function waitUntil(predicate: () => Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const uploadsFor = (customer: string) =>
  receiver.calls.filter((call) => call.path.endsWith(`/customers/${customer}:uploadClickConversions`));

forEachDialectOverHttp(
  'ad-platform connections: credentials, bad input, tenancy',
  (ctx) => {
    test('credentials are stored sealed and never come back; the response names which are set', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const created = await t.request({
        method: 'POST',
        url: '/api/v1/connections',
        token,
        payload: { platform: 'google', name: 'G', customer_id: '123-456-7890', credentials: GOOGLE_SECRETS },
      });
      assert.equal(created.statusCode, 201, created.body);
      const body = created.body;
      for (const secret of Object.values(GOOGLE_SECRETS)) assert.ok(!body.includes(secret), `${secret} echoed`);
      const data = created.json().data;
      assert.equal(data.customer_id, '1234567890');
      assert.equal(data.status, 'ok');
      assert.deepEqual(data.credentials_set, ['client_id', 'client_secret', 'refresh_token', 'developer_token']);
      const row = await t.storage.db
        .selectFrom('connections')
        .selectAll()
        .where('id', '=', data.id)
        .executeTakeFirstOrThrow();
      for (const secret of Object.values(GOOGLE_SECRETS)) assert.ok(!row.credentials.includes(secret));
      assert.match(row.credentials, /^v1\./);
      const listed = await t.request({ method: 'GET', url: '/api/v1/connections', token });
      for (const secret of Object.values(GOOGLE_SECRETS)) assert.ok(!listed.body.includes(secret));
    });

    test('bad input is a 400 naming the field, and nothing is stored', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ platform: 'google', name: 'G', credentials: GOOGLE_SECRETS }, 'customer_id'],
        [
          { platform: 'google', name: 'G', customer_id: '12', credentials: { client_id: 'x' } },
          'credentials.refresh_token',
        ],
        [{ platform: 'meta', name: 'M', credentials: { access_token: 'x' } }, 'pixel_id'],
        [
          { platform: 'meta', name: 'M', pixel_id: '1', customer_id: '5', credentials: { access_token: 'x' } },
          'customer_id',
        ],
        [{ platform: 'tiktok', name: 'T', credentials: {} }, 'platform'],
        [{ platform: 'google', name: 'G', customer_id: 'abc', credentials: GOOGLE_SECRETS }, 'customer_id'],
        [
          { platform: 'meta', name: 'M', pixel_id: '1', currency: 'EURO', credentials: { access_token: 'x' } },
          'currency',
        ],
      ];
      for (const [payload, field] of cases) {
        const response = await t.request({ method: 'POST', url: '/api/v1/connections', token, payload });
        assert.equal(response.statusCode, 400, `${JSON.stringify(payload)} → ${response.body}`);
        const error = response.json().error;
        assert.equal(error.code, 'VALIDATION_ERROR');
        assert.ok(JSON.stringify(error).includes(field), `${field} not named in ${response.body}`);
      }
      const list = await t.request({ method: 'GET', url: '/api/v1/connections', token });
      assert.equal(list.json().data.length, 0);
      const campaign = await t.createCampaign({}, token);
      const badCampaign = await t.request({
        method: 'PUT',
        url: `/api/v1/campaigns/${campaign.id}`,
        token,
        payload: { google_ads_campaign_id: 'not-digits' },
      });
      assert.equal(badCampaign.statusCode, 400, badCampaign.body);
      assert.ok(badCampaign.body.includes('google_ads_campaign_id'));
    });

    test("another account's connection and campaign answer 404 on every route", async () => {
      const t = ctx();
      const owner = await t.signUp();
      const other = await t.signUp();
      const google = await connectGoogle(t, owner.token);
      const campaign = await t.createCampaign({ google_ads_campaign_id: '777' }, owner.token);
      for (const [method, url, payload] of [
        ['GET', `/api/v1/connections/${google.id}`, undefined],
        ['PUT', `/api/v1/connections/${google.id}`, { name: 'mine now' }],
        ['POST', `/api/v1/connections/${google.id}/test`, undefined],
        ['GET', `/api/v1/connections/${google.id}/log`, undefined],
        ['POST', `/api/v1/connections/${google.id}/sync`, {}],
        ['DELETE', `/api/v1/connections/${google.id}`, undefined],
      ] as const) {
        const response = await t.request({ method, url, token: other.token, payload });
        assert.equal(response.statusCode, 404, `${method} ${url} → ${response.body}`);
      }
      const theirs = await connectGoogle(t, other.token);
      const sync = await t.request({
        method: 'POST',
        url: `/api/v1/connections/${theirs.id}/sync`,
        token: other.token,
        payload: { campaign_id: campaign.id },
      });
      assert.equal(sync.statusCode, 404, sync.body);
      assert.equal((await connection(t, owner.token, google.id)).status, 'ok');
    });

    test('the test route checks the credentials: a revoked refresh token flags the connection with a clear line', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const good = await connectGoogle(t, token);
      const passed = await t.request({ method: 'POST', url: `/api/v1/connections/${good.id}/test`, token });
      assert.equal(passed.statusCode, 200, passed.body);
      assert.equal(passed.json().data.ok, true);
      const tokenCall = receiver.calls.filter((call) => call.path === '/token').at(-1)!;
      const form = new URLSearchParams(tokenCall.body);
      assert.equal(form.get('grant_type'), 'refresh_token');
      assert.equal(form.get('client_id'), GOOGLE_SECRETS.client_id);
      assert.equal(form.get('client_secret'), GOOGLE_SECRETS.client_secret);
      const bad = await connectGoogle(t, token, {
        credentials: { ...GOOGLE_SECRETS, refresh_token: 'rt-revoked-4x7' },
      });
      const failed = await t.request({ method: 'POST', url: `/api/v1/connections/${bad.id}/test`, token });
      assert.equal(failed.json().data.ok, false);
      assert.match(failed.json().data.message, /invalid_grant/);
      const state = await connection(t, token, bad.id);
      assert.equal(state.status, 'needs_attention');
      assert.match(state.last_error ?? '', /invalid_grant/);
      const log = await logOf(t, token, bad.id);
      assert.equal(log[0]!.action, 'test');
      assert.equal(log[0]!.outcome, 'error');
      assert.ok(!JSON.stringify(log).includes('rt-revoked-4x7'), 'the refresh token is in the log');
      const meta = await connectMeta(t, token, 'expired');
      const metaTest = await t.request({ method: 'POST', url: `/api/v1/connections/${meta.id}/test`, token });
      assert.equal(metaTest.json().data.ok, false);
      assert.match(metaTest.json().data.message, /error 190/);
      assert.equal((await connection(t, token, meta.id)).status, 'needs_attention');
    });
  },
  env,
  FAST,
);

forEachDialectOverHttp(
  'ad-platform connections: conversions pushed',
  (ctx) => {
    test('Google Ads gets a counted conversion once, field by field; rejected and suspicious ones are not sent', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const google = await connectGoogle(t, token);
      const campaign = await t.createCampaign({ cost_model: 'cpa', cost_value: 10 }, token);
      const txn = tx('txn');
      const click = await storedClick(t, campaign.id, { gclid: 'Cj0KCQ-abc_123' });
      const conversion = await convert(t, token, { click_id: click.id, payout: 45.5, transaction_id: txn });
      await receiver.waitFor(() => receiver.conversions.has(txn), 10_000, 'the upload');
      const upload = uploadsFor(google.customer).at(-1)!;
      assert.equal(upload.headers['developer-token'], GOOGLE_SECRETS.developer_token);
      assert.equal(upload.headers['login-customer-id'], '9998887776');
      assert.equal(upload.headers.authorization, `Bearer ${receiver.validAccessToken}`);
      const body = upload.json as { partialFailure: boolean; conversions: Array<Record<string, unknown>> };
      assert.equal(body.partialFailure, true);
      const stored = await t.storage.db
        .selectFrom('conversions')
        .select('created_at')
        .where('id', '=', conversion.id)
        .executeTakeFirstOrThrow();
      const when = new Date(Number(stored.created_at)).toISOString();
      assert.deepEqual(body.conversions, [
        {
          gclid: 'Cj0KCQ-abc_123',
          conversionAction: `customers/${google.customer}/conversionActions/555`,
          conversionDateTime: `${when.slice(0, 10)} ${when.slice(11, 19)}+00:00`,
          conversionValue: 45.5,
          currencyCode: 'EUR',
          orderId: txn,
        },
      ]);
      // The same transaction again (an update) and a status change do not queue a second upload.
      await convert(t, token, { click_id: click.id, payout: 46, transaction_id: txn });
      const rejectedClick = await storedClick(t, campaign.id, { gclid: 'g-rejected' });
      await convert(t, token, {
        click_id: rejectedClick.id,
        payout: 5,
        transaction_id: `${txn}-rej`,
        status: 'rejected',
      });
      const flaggedClick = await storedClick(t, campaign.id, { gclid: 'g-flagged' });
      const flagged = await convert(t, token, {
        click_id: flaggedClick.id,
        payout: 5000,
        transaction_id: `${txn}-flag`,
      });
      assert.equal(flagged.suspicious, true);
      const noIdClick = await storedClick(t, campaign.id, { utm_source: 'x' });
      await convert(t, token, { click_id: noIdClick.id, payout: 5 });
      const sentinel = await storedClick(t, campaign.id, { gbraid: 'gb-1' });
      await convert(t, token, { click_id: sentinel.id, payout: 7 });
      const sentinelId = `cr_${sentinel.id}_conversion`;
      await receiver.waitFor(() => receiver.conversions.has(sentinelId), 10_000, 'the gbraid upload');
      assert.equal(receiver.conversions.get(sentinelId)!.gbraid, 'gb-1');
      assert.equal(uploadsFor(google.customer).length, 2, 'one upload per counted, clean conversion');
      assert.ok(!receiver.conversions.has(`${txn}-rej`));
      assert.ok(!receiver.conversions.has(`${txn}-flag`));
      const jobs = await t.storage.db
        .selectFrom('connection_jobs')
        .selectAll()
        .where('connection_id', '=', google.id)
        .execute();
      assert.equal(jobs.length, 2);
      await waitUntil(async () => (await logLines(t, google.id)).length >= 2, 'log lines');
      const log = await logOf(t, token, google.id);
      assert.ok(
        log.every((line) => line.action === 'conversion' && line.outcome === 'ok'),
        JSON.stringify(log),
      );
      assert.ok(!JSON.stringify(log).includes(GOOGLE_SECRETS.developer_token));
    });

    test('Meta gets the Conversions API event with fbc built from fbclid and the event id the lander tag derives', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      await connectMeta(t, token);
      const campaign = await t.createCampaign({}, token);
      const clickAt = Date.now() - 90_000;
      const click = await storedClick(t, campaign.id, { fbclid: 'IwAR2F4-dbP0l7Mn1IawQQ' }, clickAt);
      const before = receiver.metaEvents.length;
      const conversion = await convert(t, token, { click_id: click.id, payout: 12.25, event: 'lead' });
      await receiver.waitFor(() => receiver.metaEvents.length > before, 10_000, 'the Meta event');
      const call = receiver.calls.filter((c) => c.path.endsWith('/123456789/events')).at(-1)!;
      assert.ok(!call.path.includes('access_token'), 'the token is in the URL');
      assert.equal((call.json as { access_token: string }).access_token, 'meta-ok');
      const stored = await t.storage.db
        .selectFrom('conversions')
        .select('created_at')
        .where('id', '=', conversion.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(receiver.metaEvents.at(-1), {
        event_name: 'Lead',
        event_time: Math.floor(Number(stored.created_at) / 1000),
        event_id: `cr_${click.id}_lead`,
        action_source: 'website',
        user_data: {
          fbc: `fb.1.${clickAt}.IwAR2F4-dbP0l7Mn1IawQQ`,
          client_ip_address: '84.128.9.9',
          client_user_agent: 'Mozilla/5.0 (Windows NT 10.0) Chrome/120',
        },
        custom_data: { value: 12.25, currency: 'USD' },
      });
    });

    test('quota, 500 and a hanging platform are retried until the conversion lands exactly once', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const google = await connectGoogle(t, token);
      const campaign = await t.createCampaign({}, token);
      const quota = googleError(
        429,
        'RESOURCE_EXHAUSTED',
        { quotaError: 'RESOURCE_TEMPORARILY_EXHAUSTED' },
        'Too many requests.',
        [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.3s' }],
      );
      receiver.script(`/customers/${google.customer}:uploadClickConversions`, {
        kind: 'status',
        status: 429,
        body: quota,
      });
      receiver.script(`/customers/${google.customer}:uploadClickConversions`, {
        kind: 'status',
        status: 500,
        body: { error: { code: 500, status: 'INTERNAL', message: 'Internal error encountered.' } },
      });
      receiver.script(`/customers/${google.customer}:uploadClickConversions`, { kind: 'hang' });
      const txn = tx('txn-retry');
      const click = await storedClick(t, campaign.id, { gclid: 'g-retry' });
      const started = Date.now();
      await convert(t, token, { click_id: click.id, payout: 3, transaction_id: txn });
      await receiver.waitFor(() => receiver.conversions.has(txn), 15_000, 'the retried upload');
      assert.ok(Date.now() - started >= 300, 'the quota retryDelay was honoured');
      assert.equal(uploadsFor(google.customer).length, 4);
      await waitUntil(async () => (await logLines(t, google.id)).some((l) => l.outcome === 'ok'), 'the ok line');
      const log = (await logOf(t, token, google.id)).reverse();
      assert.deepEqual(
        log.map((line) => line.outcome),
        ['retry', 'retry', 'retry', 'ok'],
      );
      assert.match(log[0]!.message, /RESOURCE_EXHAUSTED/);
      assert.match(log[1]!.message, /INTERNAL/);
      assert.match(log[2]!.message, /timed out/);
      assert.equal((await connection(t, token, google.id)).status, 'ok');
    });

    test('a revoked refresh token holds the jobs and flags the connection; new credentials send them once', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const google = await connectGoogle(t, token, { credentials: { ...GOOGLE_SECRETS, refresh_token: 'revoked-1' } });
      const campaign = await t.createCampaign({}, token);
      const click = await storedClick(t, campaign.id, { gclid: 'g-auth' });
      const txn = tx('txn-auth');
      await convert(t, token, { click_id: click.id, payout: 9, transaction_id: txn });
      await waitUntil(async () => {
        const row = await t.storage.db
          .selectFrom('connections')
          .select('status')
          .where('id', '=', google.id)
          .executeTakeFirstOrThrow();
        return row.status === 'needs_attention';
      }, 'the flag');
      const state = await connection(t, token, google.id);
      assert.match(state.last_error ?? '', /invalid_grant/);
      const job = await t.storage.db
        .selectFrom('connection_jobs')
        .selectAll()
        .where('connection_id', '=', google.id)
        .executeTakeFirstOrThrow();
      assert.equal(job.status, 'pending');
      assert.equal(job.attempts, 0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(uploadsFor(google.customer).length, 0, 'nothing sent with bad credentials');
      const update = await t.request({
        method: 'PUT',
        url: `/api/v1/connections/${google.id}`,
        token,
        payload: { credentials: { refresh_token: 'refresh-ok' } },
      });
      assert.equal(update.statusCode, 200, update.body);
      assert.equal(update.json().data.status, 'ok');
      await receiver.waitFor(() => receiver.conversions.has(txn), 10_000, 'the upload after the fix');
      assert.equal(uploadsFor(google.customer).length, 1);
    });

    test('an upload Google already has (a crash after it landed) counts as sent; an unknown gclid fails with its reason', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const google = await connectGoogle(t, token);
      const campaign = await t.createCampaign({}, token);
      const txn = tx('txn-dup');
      receiver.conversions.set(txn, { orderId: txn });
      const click = await storedClick(t, campaign.id, { gclid: 'g-dup' });
      await convert(t, token, { click_id: click.id, payout: 1, transaction_id: txn });
      const bad = await storedClick(t, campaign.id, { gclid: 'unknown-gclid' });
      await convert(t, token, { click_id: bad.id, payout: 1, transaction_id: `${txn}-bad` });
      await waitUntil(async () => {
        const jobs = await t.storage.db
          .selectFrom('connection_jobs')
          .select('status')
          .where('connection_id', '=', google.id)
          .execute();
        return jobs.length === 2 && jobs.every((job) => job.status !== 'pending');
      }, 'both jobs settled');
      const jobs = await t.storage.db
        .selectFrom('connection_jobs')
        .selectAll()
        .where('connection_id', '=', google.id)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        jobs.map((job) => job.status),
        ['done', 'failed'],
      );
      assert.match(jobs[1]!.last_error ?? '', /UNPARSEABLE_GCLID/);
      const log = await logOf(t, token, google.id);
      assert.ok(log.some((line) => /already uploaded/.test(line.message)));
      assert.ok(log.some((line) => line.outcome === 'partial' && /UNPARSEABLE_GCLID/.test(line.message)));
    });
  },
  env,
  FAST,
);

forEachDialectOverHttp(
  'ad-platform connections: IP exclusions',
  (ctx) => {
    test('at most 500 per campaign, most costly first, others untouched; a later sync removes only what dropped out', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const google = await connectGoogle(t, token);
      const gcid = nextGoogleCampaign();
      const campaign = await t.createCampaign({ google_ads_campaign_id: gcid }, token);
      const userId = await campaignOwnerId(t, campaign.id);
      // Someone's own exclusion, made in the Google Ads UI: it counts against the 500 and is never touched.
      const othersName = `customers/${google.customer}/campaignCriteria/${gcid}~1`;
      receiver.criteria.set(gcid, new Map([[othersName, '203.0.113.7']]));
      const at = Date.now() - 3_600_000;
      // 600 fraudulent addresses, each in its own /24, each priced differently (cost_param).
      const rows = Array.from({ length: 600 }, (_, i) =>
        bulkClickRow(userId, campaign.id, {
          at: at + i,
          ip: `100.${64 + (i >> 8)}.${i & 255}.9`,
          fraudTypes: ['bot'],
          fields: { cost: 1 + i / 100, cost_source: 'param' },
        }),
      );
      receiver.refuseIps.add('100.66.87.9'); // i = 599: the costliest, refused by the platform (a partial failure)
      await writeClicks(t.storage, rows);
      const sync = await t.request({
        method: 'POST',
        url: `/api/v1/connections/${google.id}/sync`,
        token,
        payload: { campaign_id: campaign.id },
      });
      assert.equal(sync.statusCode, 200, sync.body);
      assert.deepEqual(sync.json().data, { queued: 1, campaign_ids: [campaign.id] });
      await waitUntil(async () => (await logLines(t, google.id)).some((l) => l.action === 'exclusions'), 'the sync');
      const mutate = receiver.calls
        .filter((c) => c.path.endsWith(`/customers/${google.customer}/campaignCriteria:mutate`))
        .at(-1)!;
      const ops = (
        mutate.json as {
          operations: Array<{ create: { ipBlock: { ipAddress: string }; negative: boolean; campaign: string } }>;
        }
      ).operations;
      assert.equal(ops.length, 499, '500 minus the one exclusion that is not ours');
      const expected = rows
        .slice(101)
        .reverse()
        .map((row) => row.ip);
      assert.deepEqual(
        ops.map((op) => op.create.ipBlock.ipAddress),
        expected,
        'most costly first',
      );
      assert.ok(
        ops.every(
          (op) =>
            op.create.negative === true && op.create.campaign === `customers/${google.customer}/campaigns/${gcid}`,
        ),
      );
      const held = receiver.criteria.get(gcid)!;
      assert.equal(held.size, 499, 'the one other plus 498 of ours (one refused)');
      assert.equal(held.get(othersName), '203.0.113.7');
      const log = await logOf(t, token, google.id);
      assert.equal(log[0]!.outcome, 'partial');
      assert.match(log[0]!.message, /498 exclusion\(s\) created, 0 removed, 1 refused/);
      const ours = await t.storage.db
        .selectFrom('connection_exclusions')
        .selectAll()
        .where('connection_id', '=', google.id)
        .execute();
      assert.equal(ours.length, 498);
      assert.ok(ours.every((row) => row.resource_name !== null));

      // A costlier address appears: one of ours (the cheapest) makes room; the other's stays.
      receiver.refuseIps.clear();
      await writeClicks(t.storage, [
        bulkClickRow(userId, campaign.id, {
          at: at + 700,
          ip: '100.70.1.9',
          fraudTypes: ['bot'],
          fields: { cost: 50, cost_source: 'param' },
        }),
      ]);
      await t.request({ method: 'POST', url: `/api/v1/connections/${google.id}/sync`, token, payload: {} });
      await waitUntil(
        async () => (await logLines(t, google.id)).filter((l) => l.action === 'exclusions').length >= 2,
        'the second sync',
      );
      const second = receiver.calls.filter((c) => c.path.endsWith('/campaignCriteria:mutate')).at(-1)!;
      const secondOps = (
        second.json as { operations: Array<{ remove?: string; create?: { ipBlock: { ipAddress: string } } }> }
      ).operations;
      const removes = secondOps.filter((op) => op.remove).map((op) => op.remove!);
      const creates = secondOps.filter((op) => op.create).map((op) => op.create!.ipBlock.ipAddress);
      assert.deepEqual(creates.sort(), ['100.66.87.9', '100.70.1.9'].sort());
      assert.equal(removes.length, 1, 'the cheapest of ours went');
      assert.ok(!removes.includes(othersName));
      assert.equal(receiver.criteria.get(gcid)!.size, 500);
      assert.equal(receiver.criteria.get(gcid)!.get(othersName), '203.0.113.7');
    });
  },
  env,
  FAST,
);
