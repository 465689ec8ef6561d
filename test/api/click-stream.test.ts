import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';
import { MEMBER_PASSWORD, addMember } from '../helpers/members.ts';

interface StreamEvent {
  event: string;
  data: { id: string; campaign_id: number; ip: string; status: string; reasons: { type: string; message: string }[] };
}

/** Reads Server-Sent Events from a fetch body, as the dashboard does (EventSource cannot send a header). */
function openStream(t: HttpTestApp, token: string | undefined, query = '') {
  const controller = new AbortController();
  const responsePromise = fetch(`${t.baseUrl}/api/v1/clicks/stream${query}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: controller.signal,
  });
  let buffer = '';
  const events: StreamEvent[] = [];
  let comments = 0;
  let ended = false;
  const pump = responsePromise.then(async (response) => {
    if (!response.ok || !response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) comments++;
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
      ended = true; // the server ended the feed
    } catch {
      // aborted
    }
  });
  return {
    response: responsePromise,
    events,
    comments: () => comments,
    ended: () => ended,
    async waitFor(predicate: (e: StreamEvent) => boolean, ms = 5000): Promise<StreamEvent> {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = events.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no such event in ${JSON.stringify(events)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}

async function click(t: HttpTestApp, uuid: string, ip: string): Promise<string> {
  const response = await t.visit(`/c/${uuid}`, { 'x-forwarded-for': ip });
  assert.equal(response.status, 302);
  return new URL(response.headers.get('location')!).searchParams.get('cid')!;
}

async function until(condition: () => boolean, ms = 3000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

forEachDialectOverHttp(
  'live click stream',
  (ctx) => {
    test('without a token: 401, like every /api route', async () => {
      const response = await fetch(`${ctx().baseUrl}/api/v1/clicks/stream`);
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'AUTHENTICATION_ERROR');
    });

    test("sends the caller's new clicks as they are recorded, masked, with verdict and reasons; never another account's", async () => {
      const t = ctx();
      const mine = await t.createCampaign();
      const theirs = await t.createCampaign();
      const stream = openStream(t, mine.token);
      const response = await stream.response;
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.ok(response.headers.get('x-ratelimit-limit'), 'the connection carries the rate-limit headers');
      await until(() => stream.comments() > 0);

      const foreign = await click(t, theirs.uuid, '81.2.69.160');
      const own = await click(t, mine.uuid, '81.2.69.142');
      const event = await stream.waitFor((e) => e.data.id === own);
      assert.equal(event.event, 'click');
      assert.equal(event.data.campaign_id, mine.id);
      assert.equal(event.data.ip, '81.2.x.x');
      assert.ok(['real', 'bot', 'vpn', 'cloaked'].includes(event.data.status));
      assert.ok(Array.isArray(event.data.reasons));
      // Events leave in commit order: had the other account's click leaked, it would be here already.
      assert.ok(!stream.events.some((e) => e.data.id === foreign));
      assert.ok(stream.events.every((e) => e.data.campaign_id === mine.id));
      await stream.close();
    });

    test("campaign_id narrows the feed; another account's campaign is 404; listeners go when the reader does", async () => {
      const t = ctx();
      const first = await t.createCampaign();
      const second = await t.createCampaign({}, first.token);
      const stranger = await t.createCampaign();
      const denied = await fetch(`${t.baseUrl}/api/v1/clicks/stream?campaign_id=${stranger.id}`, {
        headers: { authorization: `Bearer ${first.token}` },
      });
      assert.equal(denied.status, 404);

      const before = t.app.services.events.listenerCount('click.recorded');
      const stream = openStream(t, first.token, `?campaign_id=${second.id}`);
      await stream.response;
      await until(() => stream.comments() > 0);
      assert.equal(t.app.services.events.listenerCount('click.recorded'), before + 1);

      const other = await click(t, first.uuid, '81.2.69.143');
      const wanted = await click(t, second.uuid, '81.2.69.144');
      await stream.waitFor((e) => e.data.id === wanted);
      assert.ok(!stream.events.some((e) => e.data.id === other));

      await stream.close();
      await until(() => t.app.services.events.listenerCount('click.recorded') === before);
    });

    test("revoking an API key closes its open feeds at once; a password change closes all of the account's", async () => {
      const t = ctx();
      const { uuid, token, id: campaignId } = await t.createCampaign();
      const keyToken = async () => {
        const created = await t.request({ method: 'POST', url: '/api/v1/api-keys', token, payload: { name: 'feed' } });
        const { id, api_key, api_secret } = created.json<{
          data: { id: number; api_key: string; api_secret: string };
        }>().data;
        const exchanged = await t.request({
          method: 'POST',
          url: '/api/v1/auth/token',
          payload: { api_key, api_secret },
        });
        return { id, token: exchanged.json<{ token: string }>().token };
      };
      const revoked = await keyToken();
      const kept = await keyToken();
      const feeds = {
        revoked: openStream(t, revoked.token),
        kept: openStream(t, kept.token),
        account: openStream(t, token, `?campaign_id=${campaignId}`),
      };
      for (const feed of Object.values(feeds)) {
        assert.equal((await feed.response).status, 200);
        await until(() => feed.comments() > 0);
      }

      const deleted = await t.request({ method: 'DELETE', url: `/api/v1/api-keys/${revoked.id}`, token });
      assert.equal(deleted.statusCode, 200);
      await until(() => feeds.revoked.ended());
      const after = await click(t, uuid, '81.2.69.150');
      await feeds.kept.waitFor((e) => e.data.id === after);
      await feeds.account.waitFor((e) => e.data.id === after);
      assert.ok(!feeds.revoked.events.some((e) => e.data.id === after), 'nothing reaches a revoked feed');
      assert.ok(!feeds.kept.ended() && !feeds.account.ended(), "the account's other feeds stay open");

      const changed = await t.request({
        method: 'PUT',
        url: '/api/v1/account',
        token,
        payload: { password: 'another long passphrase', current_password: 'correct horse battery' },
      });
      assert.equal(changed.statusCode, 200);
      await until(() => feeds.kept.ended() && feeds.account.ended());
      for (const feed of Object.values(feeds)) await feed.close();
    });

    test("a member's own password change closes that member's feeds only", async () => {
      const t = ctx();
      const { token } = await t.createCampaign();
      const member = await addMember(t.request, token, { email: `feed-${Date.now()}@team.test`, role: 'viewer' });
      const feeds = { member: openStream(t, member.token), owner: openStream(t, token) };
      for (const feed of Object.values(feeds)) {
        assert.equal((await feed.response).status, 200);
        await until(() => feed.comments() > 0);
      }
      const changed = await t.request({
        method: 'PUT',
        url: '/api/v1/members/me/password',
        token: member.token,
        payload: { current_password: MEMBER_PASSWORD, password: 'a brand new member password' },
      });
      assert.equal(changed.statusCode, 200, changed.body);
      await until(() => feeds.member.ended());
      assert.ok(!feeds.owner.ended(), "the owner's feed stays open");
      for (const feed of Object.values(feeds)) await feed.close();
    });

    test('a revocation this node missed (its Redis subscription was down) is caught when the caches go stale', async () => {
      const t = ctx();
      const { token } = await t.createCampaign();
      const created = await t.request({ method: 'POST', url: '/api/v1/api-keys', token, payload: { name: 'feed' } });
      const { id, api_key, api_secret } = created.json<{
        data: { id: number; api_key: string; api_secret: string };
      }>().data;
      const exchanged = await t.request({
        method: 'POST',
        url: '/api/v1/auth/token',
        payload: { api_key, api_secret },
      });
      const feed = openStream(t, exchanged.json<{ token: string }>().token);
      const other = openStream(t, token);
      for (const stream of [feed, other]) await until(() => stream.comments() > 0);
      // Revoked by another node whose message never arrived: only the database knows.
      await t.storage.db.updateTable('api_keys').set({ revoked_at: Date.now() }).where('id', '=', id).execute();
      t.app.services.events.emit('caches.stale', {});
      await until(() => feed.ended());
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(!other.ended(), 'a feed whose token is still good stays open');
      await feed.close();
      await other.close();
    });
  },
  { TRUST_PROXY: 'true' },
);
