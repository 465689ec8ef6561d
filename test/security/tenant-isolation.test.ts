// The tenant-isolation matrix, generated from the OpenAPI document: every route that takes an id,
// called with another tenant's token, answers 404 and changes nothing; lists never show another
// tenant's rows; a read-scoped key cannot write anywhere. A new route joins the matrix by itself.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PUBLIC_OPERATIONS,
  STREAMING_PATHS,
  buildSecurityWorld,
  fillPath,
  hasOwnedParams,
  type SecurityWorld,
} from './fixtures.ts';

/** Valid bodies, so an answer of 404 is about the id, not a body the validator refused first. */
const BODIES: Record<string, unknown> = {
  'PUT /api/v1/campaigns/{id}': { name: 'Taken over' },
  'PUT /api/v1/traffic-sources/{id}': { name: 'Taken over' },
  'PUT /api/v1/offers/{id}': { name: 'Taken over' },
  'PUT /api/v1/landers/{id}': { name: 'Taken over' },
  'PUT /api/v1/webhooks/{id}': { active: false },
  'PUT /api/v1/connections/{id}': { name: 'Taken over', credentials: { access_token: 'stolen' } },
  'PUT /api/v1/conversions/{id}': { status: 'rejected' },
  'POST /api/v1/campaigns/{id}/costs': { from: '2026-01-01', to: '2026-01-01', amount: 1 },
  'PATCH /api/v1/members/{id}': { role: 'manager' },
};

describe('tenant isolation, generated from the route table', () => {
  let world: SecurityWorld;
  before(async () => {
    world = await buildSecurityWorld();
  });
  after(async () => {
    await world.app.close();
    await world.t.storage.dispose();
  });

  test('every route with an id: another tenant gets 404 and nothing changes', async () => {
    const withIds = world.operations.filter((op) => hasOwnedParams(op.path) && !STREAMING_PATHS.has(op.path));
    assert.ok(withIds.length >= 15, `the route table has its id routes (${withIds.length})`);
    for (const op of withIds) {
      const { url, unknown } = fillPath(op.path, world.ids);
      assert.deepEqual(
        unknown,
        [],
        `${op.method} ${op.path}: teach test/security/fixtures.ts an owned value for this parameter`,
      );
      const before = await world.ownerDigest();
      const key = `${op.method} ${op.path}`;
      const response = await world.request({
        method: op.method as 'GET',
        url,
        token: world.intruder.token,
        ...(op.hasBody ? { payload: (BODIES[key] ?? {}) as object } : {}),
      });
      assert.equal(response.statusCode, 404, `${key} as another tenant: ${response.body.slice(0, 200)}`);
      assert.equal(response.json().error.code, 'NOT_FOUND', key);
      assert.equal(await world.ownerDigest(), before, `${key} changed the owner's data`);
    }
  });

  test("lists and reports never show another tenant's rows; a foreign campaign_id is 404", async () => {
    const lists = world.operations.filter(
      (op) =>
        op.method === 'GET' &&
        !hasOwnedParams(op.path) &&
        !PUBLIC_OPERATIONS.has(`GET ${op.path}`) &&
        !STREAMING_PATHS.has(op.path),
    );
    assert.ok(lists.length >= 10, `the route table has its lists (${lists.length})`);
    const secrets = Object.values(world.ids).filter((id) => id.length > 3);
    for (const op of lists) {
      const url = fillPath(op.path, world.ids).url;
      const response = await world.request({ method: 'GET', url, token: world.intruder.token });
      assert.ok(response.statusCode < 500, `${op.path}: ${response.statusCode}`);
      for (const id of secrets) assert.ok(!response.body.includes(id), `${op.path} shows the owner's ${id}`);
      assert.ok(!response.body.includes('owner@example.com'), op.path);
      if (op.queryParams.includes('campaign_id')) {
        const foreign = await world.request({
          method: 'GET',
          url: `${url}?campaign_id=${world.ids['campaigns/id']}`,
          token: world.intruder.token,
        });
        assert.equal(foreign.statusCode, 404, `${op.path}?campaign_id=<foreign>: ${foreign.body.slice(0, 200)}`);
      }
    }
  });

  test('a read-scoped key cannot write anywhere', async () => {
    const writes = world.operations.filter(
      (op) => op.method !== 'GET' && !PUBLIC_OPERATIONS.has(`${op.method} ${op.path}`),
    );
    assert.ok(writes.length >= 15, `the route table has its writes (${writes.length})`);
    for (const op of writes) {
      const { url } = fillPath(op.path, world.ids);
      const before = await world.ownerDigest();
      const key = `${op.method} ${op.path}`;
      const response = await world.request({
        method: op.method as 'POST',
        url,
        token: world.owner.readToken,
        ...(op.hasBody ? { payload: (BODIES[key] ?? {}) as object } : {}),
      });
      assert.equal(response.statusCode, 403, `${key} with a read-only key: ${response.body.slice(0, 200)}`);
      assert.equal(response.json().error.code, 'AUTHORIZATION_ERROR', key);
      assert.equal(await world.ownerDigest(), before, `${key} changed data with a read-only key`);
    }
  });
});
