import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect, type ExtraAppOptions, type TestApp } from '../helpers/test-app.ts';
import { CLICK_DESTINATION, sendClick } from '../helpers/clicks.ts';
import { eventually, startReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';
import { verifySignature } from '../../src/modules/webhooks/signature.ts';

/** Fast retries so the suite stays quick: 40 ms doubling to 200 ms; an endpoint failing for 1.5 s is "days". */
export const FAST_WEBHOOKS: ExtraAppOptions = {
  webhooks: {
    pollIntervalMs: 20,
    timeoutMs: 1_000,
    perEndpointConcurrency: 2,
    retry: { baseDelayMs: 40, maxDelayMs: 200, maxAgeMs: 20_000, jitter: 0.2 },
    disableAfterMs: 1_500,
  },
};
export const ALLOW_LOCAL = { WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true' };

interface WebhookData {
  id: number;
  url: string;
  events: string[];
  active: boolean;
  campaign_id: number | null;
  disabled_reason: string | null;
  secret?: string;
}

export async function createWebhook(
  t: TestApp,
  token: string,
  body: Record<string, unknown>,
): Promise<WebhookData & { secret: string }> {
  const response = await t.request({ method: 'POST', url: '/api/v1/webhooks', token, payload: body });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().data;
}

async function createCampaign(t: TestApp, token: string): Promise<{ id: number; uuid: string }> {
  const response = await t.request({
    method: 'POST',
    url: '/api/v1/campaigns',
    token,
    payload: { name: 'Offer', destination_url: CLICK_DESTINATION },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().data;
}

const postback = (t: TestApp, params: Record<string, string>) =>
  t.request({ method: 'GET', url: `/api/v1/postback?${new URLSearchParams(params).toString()}` });

async function deliveries(t: TestApp, token: string, webhookId: number) {
  const response = await t.request({ method: 'GET', url: `/api/v1/webhooks/${webhookId}/deliveries`, token });
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as {
    data: Array<{
      id: number;
      status: string;
      event_type: string;
      event_id: string;
      attempt_count: number;
      next_attempt_at: string | null;
      attempts: Array<{
        status_code: number | null;
        latency_ms: number;
        error: string | null;
        response_excerpt: string | null;
      }>;
    }>;
    meta: { total: number };
  };
}

forEachDialect(
  'webhooks',
  (ctx) => {
    let receiver: WebhookReceiver;
    before(async () => {
      receiver = await startReceiver();
    });
    after(async () => receiver.close());
    const reset = () => {
      receiver.requests.length = 0;
      receiver.answers = [];
      receiver.fallback = 200;
    };

    test('CRUD: the secret is shown once, lists are paginated, deletion is final', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const created = await createWebhook(t, token, { url: receiver.url, description: 'CRM' });
      assert.match(created.secret, /^whsec_[0-9A-Za-z]{32}$/);
      assert.deepEqual(
        created.events,
        ['conversion.created', 'conversion.updated', 'fraud.alert', 'report.ready'],
        'click.flagged is off unless chosen',
      );
      assert.equal(created.active, true);
      assert.equal(created.disabled_reason, null);

      const got = (await t.request({ method: 'GET', url: `/api/v1/webhooks/${created.id}`, token })).json().data;
      assert.equal(got.secret, undefined, 'never shown again');
      assert.equal(got.url, receiver.url);

      await createWebhook(t, token, { url: receiver.url, events: ['click.flagged'] });
      const page = (await t.request({ method: 'GET', url: '/api/v1/webhooks?per_page=1&page=2', token })).json();
      assert.equal(page.meta.total, 2);
      assert.equal(page.meta.per_page, 1);
      assert.deepEqual(page.data[0].events, ['click.flagged']);
      assert.equal(page.data[0].secret, undefined);

      const updated = await t.request({
        method: 'PUT',
        url: `/api/v1/webhooks/${created.id}`,
        token,
        payload: { events: ['conversion.created'], active: false },
      });
      assert.equal(updated.statusCode, 200, updated.body);
      assert.deepEqual(updated.json().data.events, ['conversion.created']);
      assert.equal(updated.json().data.active, false);

      const rotated = await t.request({ method: 'POST', url: `/api/v1/webhooks/${created.id}/rotate-secret`, token });
      assert.equal(rotated.statusCode, 200);
      assert.notEqual(rotated.json().data.secret, created.secret);

      assert.deepEqual((await t.request({ method: 'DELETE', url: `/api/v1/webhooks/${created.id}`, token })).json(), {
        success: true,
      });
      assert.equal((await t.request({ method: 'GET', url: `/api/v1/webhooks/${created.id}`, token })).statusCode, 404);
      assert.equal(
        (await t.request({ method: 'DELETE', url: `/api/v1/webhooks/${created.id}`, token })).statusCode,
        404,
      );
    });

    test('a postback sends a signed conversion.created; the deliveries endpoint shows the attempt', async () => {
      const t = ctx();
      reset();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const webhook = await createWebhook(t, token, { url: receiver.url });
      const clickId = await sendClick(t, campaign.uuid);
      const response = await postback(t, { clickid: clickId, payout: '12.5', txid: 'order-1' });
      assert.equal(response.statusCode, 201, response.body);
      const conversion = response.json().data;

      await receiver.waitFor(() => receiver.events('conversion.created').length === 1, 5_000, 'conversion.created');
      const request = receiver.requests[0]!;
      const signature = String(request.headers['x-cloakradar-signature']);
      assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
      assert.ok(
        verifySignature(webhook.secret, signature, request.body, Math.floor(Date.now() / 1000)),
        'signature verifies with the secret',
      );
      assert.ok(
        !verifySignature(webhook.secret, signature, request.body.replace('12.5', '99'), Math.floor(Date.now() / 1000)),
        'a changed body does not',
      );
      assert.ok(
        !verifySignature('whsec_wrong', signature, request.body, Math.floor(Date.now() / 1000)),
        'another secret does not',
      );
      assert.ok(
        !verifySignature(webhook.secret, signature, request.body, Math.floor(Date.now() / 1000) + 3600),
        'an old timestamp is refused',
      );
      const event = receiver.events()[0]!;
      assert.equal(request.headers['x-cloakradar-event-id'], event.id);
      assert.match(event.id, /^evt_/);
      assert.equal(request.headers['content-type'], 'application/json');
      assert.ok(!Number.isNaN(Date.parse(event.created_at)));
      assert.deepEqual(event.data, conversion, 'the same object as the API returns');

      const list = await eventually(
        async () => {
          const found = await deliveries(t, token, webhook.id);
          return found.data[0]?.status === 'succeeded' ? found : undefined;
        },
        5_000,
        'succeeded delivery',
      );
      assert.equal(list.meta.total, 1);
      const [delivery] = list.data;
      assert.equal(delivery!.event_id, event.id);
      assert.equal(delivery!.event_type, 'conversion.created');
      assert.equal(delivery!.attempt_count, 1);
      assert.equal(delivery!.next_attempt_at, null);
      assert.equal(delivery!.attempts[0]!.status_code, 200);
      assert.equal(typeof delivery!.attempts[0]!.latency_ms, 'number');
      assert.equal(delivery!.attempts[0]!.response_excerpt, 'ok');
    });

    test('conversion.updated on a status or payout change, with previous_attributes; a plain repeat sends nothing', async () => {
      const t = ctx();
      reset();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      await createWebhook(t, token, { url: receiver.url, events: ['conversion.updated'] });
      const clickId = await sendClick(t, campaign.uuid);
      assert.equal(
        (await postback(t, { clickid: clickId, txid: 'o-2', status: 'pending', payout: '5' })).statusCode,
        201,
      );
      assert.equal(
        (await postback(t, { clickid: clickId, txid: 'o-2', status: 'approved', payout: '5' })).statusCode,
        200,
      );
      assert.equal(
        (await postback(t, { clickid: clickId, txid: 'o-2', status: 'approved', payout: '5' })).statusCode,
        200,
      );
      await receiver.waitFor(() => receiver.events('conversion.updated').length >= 1, 5_000, 'conversion.updated');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const updates = receiver.events('conversion.updated');
      assert.equal(updates.length, 1, 'only the real change');
      assert.equal(updates[0]!.data.status, 'approved');
      assert.deepEqual(updates[0]!.previous_attributes, { status: 'pending' });
      assert.equal(receiver.events('conversion.created').length, 0, 'not subscribed');
    });

    test('retries after 500s with backoff, every attempt recorded', async () => {
      const t = ctx();
      reset();
      receiver.answers = [500, 503];
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const webhook = await createWebhook(t, token, { url: receiver.url });
      const clickId = await sendClick(t, campaign.uuid);
      assert.equal((await postback(t, { clickid: clickId })).statusCode, 201);
      await receiver.waitFor(() => receiver.requests.length >= 3, 5_000, 'three attempts');
      const ids = new Set(receiver.events().map((event) => event.id));
      assert.equal(ids.size, 1, 'the same event each time');
      const [first, second, third] = receiver.requests;
      // Lower bounds of the schedule (40 ms, then 80 ms, each −20% jitter): a busy machine only makes gaps longer.
      assert.ok(second!.receivedAt - first!.receivedAt >= 30, 'a wait before the first retry');
      assert.ok(third!.receivedAt - second!.receivedAt >= 60, 'the wait grows');
      const delivery = await eventually(async () => {
        const found = (await deliveries(t, token, webhook.id)).data[0];
        return found?.status === 'succeeded' ? found : undefined;
      });
      assert.equal(delivery.attempt_count, 3);
      assert.deepEqual(
        delivery.attempts.map((attempt) => attempt.status_code),
        [500, 503, 200],
      );
      assert.equal(delivery.attempts[0]!.error, 'HTTP 500');
      assert.equal(delivery.attempts[0]!.response_excerpt, 'failure 500');
      const after = (await t.request({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}`, token })).json().data;
      assert.equal(after.failing_since, null, 'a success ends the failing streak');
      assert.equal(after.active, true);
    });

    test('410 Gone disables the endpoint with a reason; turning it back on clears it', async () => {
      const t = ctx();
      reset();
      receiver.fallback = 410;
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const webhook = await createWebhook(t, token, { url: receiver.url });
      assert.equal((await postback(t, { clickid: await sendClick(t, campaign.uuid) })).statusCode, 201);
      const disabled = await eventually(async () => {
        const found = (await t.request({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}`, token })).json().data;
        return found.active === false ? found : undefined;
      });
      assert.match(disabled.disabled_reason, /410 Gone/);
      assert.ok(disabled.disabled_at);
      assert.equal(receiver.requests.length, 1, 'no retry after 410');
      assert.equal((await deliveries(t, token, webhook.id)).data[0]!.status, 'failed');

      // Nothing is queued for a disabled endpoint.
      assert.equal((await postback(t, { clickid: await sendClick(t, campaign.uuid) })).statusCode, 201);
      assert.equal((await deliveries(t, token, webhook.id)).meta.total, 1);

      const revived = (
        await t.request({ method: 'PUT', url: `/api/v1/webhooks/${webhook.id}`, token, payload: { active: true } })
      ).json().data;
      assert.equal(revived.active, true);
      assert.equal(revived.disabled_reason, null);
      assert.equal(revived.disabled_at, null);
    });

    test('an endpoint failing continuously for "days" is disabled and says why', async () => {
      const t = ctx();
      reset();
      receiver.fallback = 500;
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const webhook = await createWebhook(t, token, { url: receiver.url });
      assert.equal((await postback(t, { clickid: await sendClick(t, campaign.uuid) })).statusCode, 201);
      const disabled = await eventually(
        async () => {
          const found = (await t.request({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}`, token })).json().data;
          return found.active === false ? found : undefined;
        },
        8_000,
        'disabled after failing',
        300,
      );
      assert.match(disabled.disabled_reason, /No delivery succeeded for .* last error: HTTP 500/);
      assert.ok(disabled.failing_since);
      const count = receiver.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(receiver.requests.length, count, 'no more attempts once disabled');
    });

    test('test ping, then a manual retry of a failed delivery', async () => {
      const t = ctx();
      reset();
      const { token } = await t.signUp();
      const webhook = await createWebhook(t, token, { url: receiver.url, events: ['report.ready'] });
      const ping = await t.request({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test`, token });
      assert.equal(ping.statusCode, 200, ping.body);
      assert.equal(ping.json().data.status, 'succeeded');
      assert.equal(ping.json().data.event_type, 'ping');
      assert.equal(ping.json().data.attempts[0].status_code, 200);
      const request = receiver.requests.find((r) => r.headers['x-cloakradar-event-id'] === ping.json().data.event_id)!;
      assert.equal(JSON.parse(request.body).data.webhook_id, webhook.id);
      assert.ok(
        verifySignature(
          webhook.secret,
          String(request.headers['x-cloakradar-signature']),
          request.body,
          Math.floor(Date.now() / 1000),
        ),
      );

      receiver.fallback = 500;
      const failed = (await t.request({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test`, token })).json()
        .data;
      assert.equal(failed.status, 'failed', 'a ping is not retried by itself');
      assert.equal(failed.attempts[0].status_code, 500);

      receiver.fallback = 200;
      const retried = await t.request({
        method: 'POST',
        url: `/api/v1/webhooks/${webhook.id}/deliveries/${failed.id}/retry`,
        token,
      });
      assert.equal(retried.statusCode, 200, retried.body);
      assert.equal(retried.json().data.status, 'succeeded');
      assert.deepEqual(
        retried.json().data.attempts.map((a: { status_code: number }) => a.status_code),
        [500, 200],
      );
      assert.equal(
        receiver.events('ping').filter((e) => e.id === failed.event_id).length,
        2,
        'the same event id again',
      );
    });

    test('rotating the secret signs the next delivery with the new one', async () => {
      const t = ctx();
      reset();
      const { token } = await t.signUp();
      const webhook = await createWebhook(t, token, { url: receiver.url });
      const rotated = (
        await t.request({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/rotate-secret`, token })
      ).json().data;
      await t.request({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test`, token });
      const request = receiver.requests.filter((r) => JSON.parse(r.body).data.webhook_id === webhook.id).at(-1)!;
      const now = Math.floor(Date.now() / 1000);
      assert.ok(verifySignature(rotated.secret, String(request.headers['x-cloakradar-signature']), request.body, now));
      assert.ok(!verifySignature(webhook.secret, String(request.headers['x-cloakradar-signature']), request.body, now));
    });

    test('click.flagged only for subscribed accounts, with the click as the API shows it', async () => {
      const t = ctx();
      reset();
      const subscriber = await t.signUp();
      const other = await t.signUp();
      const campaign = await createCampaign(t, subscriber.token);
      const otherCampaign = await createCampaign(t, other.token);
      await createWebhook(t, subscriber.token, { url: receiver.url, events: ['click.flagged'] });
      await createWebhook(t, other.token, { url: receiver.url, events: ['conversion.created'] });
      const human = await sendClick(t, campaign.uuid, { ip: '84.17.1.2' });
      const bot = await sendClick(t, campaign.uuid, { userAgent: 'python-requests/2.31.0', ip: '84.17.1.3' });
      await sendClick(t, otherCampaign.uuid, { userAgent: 'python-requests/2.31.0', ip: '84.17.1.4' });
      await receiver.waitFor(() => receiver.events('click.flagged').length >= 1, 5_000, 'click.flagged');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const flagged = receiver.events('click.flagged');
      assert.deepEqual(
        flagged.map((event) => event.data.id),
        [bot],
      );
      assert.notEqual(flagged[0]!.data.id, human);
      const detail = (await t.request({ method: 'GET', url: `/api/v1/clicks/${bot}`, token: subscriber.token })).json()
        .data;
      assert.deepEqual(flagged[0]!.data, detail, 'the same shape as GET /clicks/{id}');
      assert.ok((flagged[0]!.data.fraud_types as string[]).includes('bot'));
    });

    test("report.ready when a fraud report is done, and click.flagged for a burst's first clicks flagged later", async () => {
      const t = ctx();
      reset();
      const owner = await t.signUp();
      const campaign = await createCampaign(t, owner.token);
      await createWebhook(t, owner.token, { url: receiver.url, events: ['report.ready', 'click.flagged'] });
      const burst = [];
      for (let i = 0; i < 3; i++) burst.push(await sendClick(t, campaign.uuid, { ip: '84.17.9.9' }));
      await receiver.waitFor(
        () => receiver.events('click.flagged').length >= 3,
        5_000,
        'click.flagged for the whole burst',
      );
      assert.deepEqual(
        new Set(receiver.events('click.flagged').map((event) => event.data.id)),
        new Set(burst),
        'the first two once recognised, the third at once',
      );
      const today = new Date().toISOString().slice(0, 10);
      const created = await t.request({
        method: 'POST',
        url: '/api/v2/fraud/report',
        token: owner.token,
        payload: { campaign_id: campaign.id, from: today, to: today, platform: 'google' },
      });
      assert.equal(created.statusCode, 201, created.body);
      await receiver.waitFor(() => receiver.events('report.ready').length >= 1, 5_000, 'report.ready');
      const [ready] = receiver.events('report.ready');
      assert.equal(ready!.data.id, created.json().data.id);
      assert.equal(ready!.data.status, 'ready');
      assert.equal((ready!.data.summary as { fraudulent_clicks: number }).fraudulent_clicks, 3);
    });

    test('fraud.alert once per campaign per window, from the account threshold', async () => {
      const t = ctx();
      reset();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      await createWebhook(t, token, { url: receiver.url, events: ['fraud.alert'] });
      const settings = await t.request({
        method: 'PUT',
        url: '/api/v1/detection-settings',
        token,
        payload: { fraud_alert: { threshold_percent: 50, min_clicks: 4, window_minutes: 5 } },
      });
      assert.equal(settings.statusCode, 200, settings.body);
      assert.deepEqual(settings.json().data.fraud_alert, { threshold_percent: 50, min_clicks: 4, window_minutes: 5 });
      for (let i = 0; i < 6; i++)
        await sendClick(t, campaign.uuid, { userAgent: 'python-requests/2.31.0', ip: `84.18.2.${i + 1}` });
      await receiver.waitFor(() => receiver.events('fraud.alert').length >= 1, 5_000, 'fraud.alert');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const alerts = receiver.events('fraud.alert');
      assert.equal(alerts.length, 1, 'at most once per window');
      assert.equal(alerts[0]!.data.campaign_id, campaign.id);
      assert.ok((alerts[0]!.data.total_clicks as number) >= 4);
      assert.equal(alerts[0]!.data.fraud_rate, 100);
      assert.equal(alerts[0]!.data.window_minutes, 5);
      assert.equal(alerts[0]!.data.threshold_percent, 50);
    });

    test('a campaign filter narrows campaign events to that campaign', async () => {
      const t = ctx();
      reset();
      const { token } = await t.signUp();
      const wanted = await createCampaign(t, token);
      const ignored = await createCampaign(t, token);
      await createWebhook(t, token, { url: receiver.url, campaign_id: wanted.id });
      assert.equal((await postback(t, { clickid: await sendClick(t, ignored.uuid) })).statusCode, 201);
      assert.equal((await postback(t, { clickid: await sendClick(t, wanted.uuid) })).statusCode, 201);
      await receiver.waitFor(() => receiver.events().length >= 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(
        receiver.events().map((event) => event.data.campaign_id),
        [wanted.id],
      );
    });

    test('a hanging receiver slows neither the postback nor the API; per-endpoint concurrency is bounded', async () => {
      const t = ctx();
      reset();
      receiver.fallback = 'hang';
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const webhook = await createWebhook(t, token, { url: receiver.url });
      for (let i = 0; i < 5; i++) {
        const clickId = await sendClick(t, campaign.uuid, { ip: `84.19.3.${i + 1}` });
        const started = Date.now();
        assert.equal((await postback(t, { clickid: clickId })).statusCode, 201);
        assert.ok(Date.now() - started < 500, 'the postback does not wait for the receiver (its timeout is 1 s)');
      }
      await receiver.waitFor(() => receiver.open() >= 2, 3_000, 'two open requests');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(receiver.maxOpen(), 2, 'at most two requests in flight to one endpoint');
      const timedOut = await eventually(
        async () => {
          const found = (await deliveries(t, token, webhook.id)).data.find((d) => d.attempts.length > 0);
          return found;
        },
        5_000,
        'a timed-out attempt',
      );
      assert.equal(timedOut.attempts[0]!.error, 'timed out');
      assert.equal(timedOut.attempts[0]!.status_code, null);
      // Stop the pile-up before the next test.
      assert.equal(
        (await t.request({ method: 'PUT', url: `/api/v1/webhooks/${webhook.id}`, token, payload: { active: false } }))
          .statusCode,
        200,
      );
      receiver.fallback = 200;
    });

    test("another account's webhooks and deliveries answer 404", async () => {
      const t = ctx();
      reset();
      const owner = await t.signUp();
      const stranger = await t.signUp();
      const webhook = await createWebhook(t, owner.token, { url: receiver.url });
      const ping = (
        await t.request({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test`, token: owner.token })
      ).json().data;
      const calls = [
        { method: 'GET', url: `/api/v1/webhooks/${webhook.id}` },
        { method: 'PUT', url: `/api/v1/webhooks/${webhook.id}`, payload: { active: false } },
        { method: 'DELETE', url: `/api/v1/webhooks/${webhook.id}` },
        { method: 'POST', url: `/api/v1/webhooks/${webhook.id}/rotate-secret` },
        { method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test` },
        { method: 'GET', url: `/api/v1/webhooks/${webhook.id}/deliveries` },
        { method: 'POST', url: `/api/v1/webhooks/${webhook.id}/deliveries/${ping.id}/retry` },
      ] as const;
      for (const call of calls) {
        const response = await t.request({ ...call, token: stranger.token });
        assert.equal(response.statusCode, 404, `${call.method} ${call.url}: ${response.body}`);
        assert.equal(response.json().error.code, 'NOT_FOUND');
      }
      assert.equal(
        (await t.request({ method: 'GET', url: '/api/v1/webhooks', token: stranger.token })).json().meta.total,
        0,
      );
      // A delivery id of another webhook of the same account is not found under this one either.
      const second = await createWebhook(t, owner.token, { url: receiver.url });
      assert.equal(
        (
          await t.request({
            method: 'POST',
            url: `/api/v1/webhooks/${second.id}/deliveries/${ping.id}/retry`,
            token: owner.token,
          })
        ).statusCode,
        404,
      );
      assert.equal(
        (await t.request({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}`, token: owner.token })).json().data
          .active,
        true,
        'untouched',
      );
    });

    test('bad input answers 400 VALIDATION_ERROR, field by field', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const other = await t.signUp();
      const foreignCampaign = await createCampaign(t, other.token);
      const webhook = await createWebhook(t, token, { url: receiver.url });
      const bodies: Array<{ payload: unknown; field: string }> = [
        { payload: {}, field: 'url' },
        { payload: { url: 42 }, field: 'url' },
        { payload: { url: '' }, field: 'url' },
        { payload: { url: 'not a url' }, field: 'url' },
        { payload: { url: 'ftp://example.com/hook' }, field: 'url' },
        { payload: { url: 'http://user:pass@93.184.215.14/hook' }, field: 'url' },
        { payload: { url: `https://93.184.215.14/${'a'.repeat(2100)}` }, field: 'url' },
        { payload: { url: receiver.url, events: [] }, field: 'events' },
        { payload: { url: receiver.url, events: ['conversion.deleted'] }, field: 'events' },
        { payload: { url: receiver.url, events: 'conversion.created' }, field: 'events' },
        { payload: { url: receiver.url, campaign_id: 'abc' }, field: 'campaign_id' },
        { payload: { url: receiver.url, campaign_id: 0 }, field: 'campaign_id' },
        { payload: { url: receiver.url, campaign_id: foreignCampaign.id }, field: 'campaign_id' },
        { payload: { url: receiver.url, active: 'yes' }, field: 'active' },
        { payload: { url: receiver.url, description: 'd'.repeat(201) }, field: 'description' },
        { payload: { url: receiver.url, secret: 'mine' }, field: 'secret' },
      ];
      for (const { payload, field } of bodies) {
        for (const [method, url] of [
          ['POST', '/api/v1/webhooks'],
          ['PUT', `/api/v1/webhooks/${webhook.id}`],
        ] as const) {
          if (method === 'PUT' && field === 'url' && (payload as { url?: unknown }).url === undefined) continue;
          const response = await t.request({ method, url, token, payload: payload as object });
          assert.equal(
            response.statusCode,
            400,
            `${method} ${JSON.stringify(payload).slice(0, 80)} → ${response.body}`,
          );
          assert.equal(response.json().error.code, 'VALIDATION_ERROR');
          assert.ok(
            Object.keys(response.json().error.details ?? {}).some(
              (key) => key === field || key.startsWith(`${field}.`),
            ),
            `${field} in ${response.body}`,
          );
        }
      }
      const empty = await t.request({ method: 'PUT', url: `/api/v1/webhooks/${webhook.id}`, token, payload: {} });
      assert.equal(empty.statusCode, 400);
      for (const url of [
        '/api/v1/webhooks/abc',
        '/api/v1/webhooks/0',
        '/api/v1/webhooks/1/deliveries?per_page=500',
        '/api/v1/webhooks?page=0',
        '/api/v1/webhooks/abc/deliveries',
      ]) {
        const response = await t.request({ method: 'GET', url, token });
        assert.equal(response.statusCode, 400, `${url} → ${response.body}`);
        assert.equal(response.json().error.code, 'VALIDATION_ERROR');
      }
      for (const url of [
        `/api/v1/webhooks/${webhook.id}/deliveries/abc/retry`,
        `/api/v1/webhooks/${webhook.id}/deliveries/0/retry`,
        '/api/v1/webhooks/x/test',
        '/api/v1/webhooks/x/rotate-secret',
      ]) {
        const response = await t.request({ method: 'POST', url, token });
        assert.equal(response.statusCode, 400, `${url} → ${response.body}`);
      }
      const missing = await t.request({
        method: 'POST',
        url: `/api/v1/webhooks/${webhook.id}/deliveries/999999/retry`,
        token,
      });
      assert.equal(missing.statusCode, 404);
      const notJson = await t.request({
        method: 'POST',
        url: '/api/v1/webhooks',
        token,
        payload: 'url=x',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(notJson.statusCode, 400);
      for (const payload of [
        { fraud_alert: { threshold_percent: 0 } },
        { fraud_alert: { min_clicks: 0 } },
        { fraud_alert: { window_minutes: 2 } },
        { fraud_alert: {} },
        { fraud_alert: { other: 1 } },
      ]) {
        const response = await t.request({ method: 'PUT', url: '/api/v1/detection-settings', token, payload });
        assert.equal(response.statusCode, 400, `${JSON.stringify(payload)} → ${response.body}`);
      }
      assert.equal(
        (await t.request({ method: 'GET', url: '/api/v1/webhooks', token })).json().meta.total,
        1,
        'nothing else was stored',
      );
    });

    test('authentication: no token 401, read-scoped key may read but not write (403)', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const webhook = await createWebhook(t, token, { url: receiver.url });
      const key = (
        await t.request({ method: 'POST', url: '/api/v1/api-keys', token, payload: { name: 'ro', scope: 'read' } })
      ).json().data;
      const readToken: string = (
        await t.request({
          method: 'POST',
          url: '/api/v1/auth/token',
          payload: { api_key: key.api_key, api_secret: key.api_secret },
        })
      ).json().token;
      const writes = [
        { method: 'POST', url: '/api/v1/webhooks', payload: { url: receiver.url } },
        { method: 'PUT', url: `/api/v1/webhooks/${webhook.id}`, payload: { active: false } },
        { method: 'DELETE', url: `/api/v1/webhooks/${webhook.id}` },
        { method: 'POST', url: `/api/v1/webhooks/${webhook.id}/rotate-secret` },
        { method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test` },
        { method: 'POST', url: `/api/v1/webhooks/${webhook.id}/deliveries/1/retry` },
      ] as const;
      const reads = [
        { method: 'GET', url: '/api/v1/webhooks' },
        { method: 'GET', url: `/api/v1/webhooks/${webhook.id}` },
        { method: 'GET', url: `/api/v1/webhooks/${webhook.id}/deliveries` },
      ] as const;
      for (const call of [...writes, ...reads]) {
        const anonymous = await t.request(call);
        assert.equal(anonymous.statusCode, 401, `${call.method} ${call.url}`);
        assert.equal(anonymous.json().error.code, 'AUTHENTICATION_ERROR');
      }
      for (const call of writes) {
        const response = await t.request({ ...call, token: readToken });
        assert.equal(response.statusCode, 403, `${call.method} ${call.url}`);
        assert.equal(response.json().error.code, 'AUTHORIZATION_ERROR');
      }
      for (const call of reads)
        assert.equal((await t.request({ ...call, token: readToken })).statusCode, 200, `${call.method} ${call.url}`);
      assert.equal(
        (await t.request({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}`, token })).json().data.active,
        true,
      );
    });

    test('documented in the OpenAPI document under the Webhooks tag', async () => {
      const t = ctx();
      const spec = (await t.request({ method: 'GET', url: '/api/openapi.json' })).json();
      for (const path of [
        '/api/v1/webhooks',
        '/api/v1/webhooks/{id}',
        '/api/v1/webhooks/{id}/rotate-secret',
        '/api/v1/webhooks/{id}/test',
        '/api/v1/webhooks/{id}/deliveries',
        '/api/v1/webhooks/{id}/deliveries/{deliveryId}/retry',
      ]) {
        assert.ok(spec.paths[path], `${path} documented`);
        for (const operation of Object.values(spec.paths[path]) as Array<{ tags: string[] }>)
          assert.deepEqual(operation.tags, ['Webhooks']);
      }
    });
  },
  ALLOW_LOCAL,
  FAST_WEBHOOKS,
);

forEachDialect('webhook targets are checked against SSRF', (ctx) => {
  test('loopback, private, link-local and metadata targets are refused at create and update', async () => {
    const t = ctx();
    const { token } = await t.signUp();
    const refused = [
      'http://127.0.0.1/hook',
      'http://127.1.2.3:8080/hook',
      'http://localhost/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://0.0.0.0/hook',
      'http://10.0.0.5/hook',
      'http://172.16.3.4/hook',
      'http://192.168.1.1/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.100.100.200/',
      'http://[fd00:ec2::254]/',
      'http://[fe80::1]/',
      'http://224.0.0.1/',
    ];
    for (const url of refused) {
      const response = await t.request({ method: 'POST', url: '/api/v1/webhooks', token, payload: { url } });
      assert.equal(response.statusCode, 400, `${url} → ${response.body}`);
      assert.equal(response.json().error.code, 'VALIDATION_ERROR');
      assert.ok(response.json().error.details.url, url);
    }
    const publicTarget = await t.request({
      method: 'POST',
      url: '/api/v1/webhooks',
      token,
      payload: { url: 'https://93.184.215.14/hook', events: ['report.ready'] },
    });
    assert.equal(publicTarget.statusCode, 201, publicTarget.body);
    const id = publicTarget.json().data.id;
    const moved = await t.request({
      method: 'PUT',
      url: `/api/v1/webhooks/${id}`,
      token,
      payload: { url: 'http://169.254.169.254/' },
    });
    assert.equal(moved.statusCode, 400);
    assert.ok(moved.json().error.details.url);
    assert.equal((await t.request({ method: 'GET', url: '/api/v1/webhooks', token })).json().meta.total, 1);
  });
});
