import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { openStorage, type Storage } from '../../src/storage/open-database.ts';
import { dropPostgresSchema } from '../helpers/dialects.ts';
import { testConfig, testIntel } from '../helpers/test-app.ts';
import { addMember, apiKeyToken } from '../helpers/members.ts';
import { CLUSTER_SKIP_REASON, freshPrefix, PG_URL, REDIS_URL } from './redis-env.ts';

interface Feed {
  /** True once the server ended the feed. */
  ended(): boolean;
  close(): Promise<void>;
}

async function openFeed(baseUrl: string, token: string): Promise<Feed> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/clicks/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  assert.equal(response.status, 200);
  let ended = false;
  let connected: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const pump = (async () => {
    try {
      for await (const _chunk of response.body!) connected!();
      ended = true;
    } catch {
      // aborted by close()
    }
  })();
  await ready;
  return {
    ended: () => ended,
    async close() {
      controller.abort();
      await pump;
    },
  };
}

async function until(condition: () => boolean, what: string, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Two nodes (two apps in this process) on one PostgreSQL schema and one Redis, as behind a load
 * balancer: a key revoked or a password changed through one node closes the feeds open on the other.
 */
describe('live feeds close on every node when their credentials end', { skip: CLUSTER_SKIP_REASON }, () => {
  const schema = `t_feeds_${Date.now().toString(36)}`;
  const redisKeys = freshPrefix();
  const nodes: Array<{ app: FastifyInstance; storage: Storage; baseUrl: string }> = [];

  before(async () => {
    for (let i = 0; i < 2; i++) {
      const storage = openStorage(PG_URL!, { schema });
      const app = await buildApp({
        config: testConfig({ REDIS_URL: REDIS_URL!, REDIS_PREFIX: redisKeys.prefix }),
        storage,
        logger: false,
        intel: await testIntel(),
        retention: { intervalMs: 0 },
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      nodes.push({ app, storage, baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` });
    }
  });

  after(async () => {
    for (const { app, storage } of nodes) {
      await app.close();
      await storage.close();
    }
    await dropPostgresSchema(schema);
    await redisKeys.cleanUp();
  });

  test('a key revoked on node A closes its feed on node B; a password change on A closes the rest', async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const call = async <T>(node: typeof a, method: string, url: string, token?: string, payload?: object) => {
      const response = await node.app.inject({
        method: method as 'GET',
        url,
        payload,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      assert.ok(response.statusCode < 300, `${method} ${url}: ${response.body}`);
      return response.json<T>();
    };
    const password = 'correct horse battery';
    const { token } = await call<{ token: string }>(a, 'POST', '/api/v1/auth/register', undefined, {
      email: `feeds-${Date.now()}@example.com`,
      password,
    });
    const keyToken = async () => {
      const { data } = await call<{ data: { id: number; api_key: string; api_secret: string } }>(
        a,
        'POST',
        '/api/v1/api-keys',
        token,
        { name: 'feed' },
      );
      const exchanged = await call<{ token: string }>(a, 'POST', '/api/v1/auth/token', undefined, {
        api_key: data.api_key,
        api_secret: data.api_secret,
      });
      return { id: data.id, token: exchanged.token };
    };
    const revoked = await keyToken();
    const kept = await keyToken();
    const onB = { revoked: await openFeed(b.baseUrl, revoked.token), kept: await openFeed(b.baseUrl, kept.token) };
    const accountOnB = await openFeed(b.baseUrl, token);
    const revokedOnA = await openFeed(a.baseUrl, revoked.token);

    await call(a, 'DELETE', `/api/v1/api-keys/${revoked.id}`, token);
    await until(() => onB.revoked.ended(), "the revoked key's feed on the other node");
    await until(() => revokedOnA.ended(), "the revoked key's feed on the same node");
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(!onB.kept.ended() && !accountOnB.ended(), "the account's other feeds stay open");

    await call(a, 'PUT', '/api/v1/account', token, { password: 'another long passphrase', current_password: password });
    await until(() => onB.kept.ended() && accountOnB.ended(), 'every feed of the account after a password change');
    for (const feed of [onB.revoked, onB.kept, accountOnB, revokedOnA]) await feed.close();
  });

  test("a member removed on node A: their feeds close on node B, their tokens and keys fail there; the owner's stay", async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const owner = await signUpOn(a);
    const member = await addMember(request(a), owner, { email: `member-${Date.now()}@team.test`, role: 'manager' });
    const memberKey = await apiKeyToken(request(a), member.token, 'read');
    const feeds = [await openFeed(b.baseUrl, member.token), await openFeed(b.baseUrl, memberKey)];
    const ownerFeed = await openFeed(b.baseUrl, owner);
    const removed = await request(a)({ method: 'DELETE', url: `/api/v1/members/${member.id}`, token: owner });
    assert.equal(removed.statusCode, 200, removed.body);
    await until(() => feeds.every((feed) => feed.ended()), "the removed member's feeds on the other node");
    for (const token of [member.token, memberKey]) {
      const refused = await request(b)({ method: 'GET', url: '/api/v1/campaigns', token });
      assert.equal(refused.statusCode, 401, refused.body);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(!ownerFeed.ended(), "the owner's feed stays open");
    for (const feed of [...feeds, ownerFeed]) await feed.close();
  });
});

/** Requests to one node, with a bearer token. */
const request =
  (node: { app: FastifyInstance }) =>
  ({ token, ...options }: InjectOptions & { token?: string }) =>
    node.app.inject({ ...options, headers: token ? { authorization: `Bearer ${token}` } : {} });

async function signUpOn(node: { app: FastifyInstance }): Promise<string> {
  const response = await request(node)({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { email: `owner-${Date.now()}@team.test`, password: 'correct horse battery' },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json<{ token: string }>().token;
}
