// The role matrix, generated from the route table (as the tenant-isolation matrix is): every guarded
// route, called by an owner, admin, manager and viewer of the same workspace, is let in exactly when
// the route policy (src/http/route-policy.ts) grants the role its permission (src/modules/accounts/roles.ts);
// a refused call is 403 AUTHORIZATION_ERROR and changes nothing. A member's read-only API key holds no
// write permission, and a member limited to some campaigns is refused every workspace-wide route.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PUBLIC_OPERATIONS, buildSecurityWorld, fillPath, type SecurityWorld } from './fixtures.ts';
import { ROUTE_POLICY, policyOf } from '../../src/http/route-policy.ts';
import { ROLES, type Role } from '../../src/modules/accounts/account.enums.ts';
import { WRITE_PERMISSIONS, roleAllows } from '../../src/modules/accounts/roles.ts';
import { addMember, apiKeyToken } from '../helpers/members.ts';

/** Fastify's form of an OpenAPI path: /campaigns/{id} → /campaigns/:id. */
const fastifyPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

/** For a call the policy lets in: ids nobody owns, so an allowed write answers 404 and changes nothing. */
const NOBODYS: Record<string, string> = {
  'campaigns/id': '987654',
  'traffic-sources/id': '987654',
  'offers/id': '987654',
  'landers/id': '987654',
  'clicks/clickid': 'nobodys-click',
  'conversions/id': '987654',
  'api-keys/id': '987654',
  'webhooks/id': '987654',
  'deliveries/deliveryId': '987654',
  'report/id': '987654',
  'members/id': '987654',
};
/** And a body the schema refuses, so an allowed write without an id answers 400 before changing anything. */
const REFUSED_BODY = { 'not-a-field': true };

describe('role matrix, generated from the route table', () => {
  let world: SecurityWorld;
  const tokens = new Map<Role, string>();
  let limitedViewer: string;
  let limitedManager: string;
  let viewerWriteKey: string;

  before(async () => {
    world = await buildSecurityWorld();
    tokens.set('owner', world.owner.token);
    for (const role of ROLES.filter((r) => r !== 'owner')) {
      tokens.set(role, (await addMember(world.request, world.owner.token, { email: `${role}@team.test`, role })).token);
    }
    limitedViewer = (
      await addMember(world.request, world.owner.token, {
        email: 'limited@team.test',
        role: 'viewer',
        campaign_ids: [Number(world.ids['campaigns/id'])],
      })
    ).token;
    limitedManager = (
      await addMember(world.request, world.owner.token, {
        email: 'limited-manager@team.test',
        role: 'manager',
        campaign_ids: [Number(world.ids['campaigns/id'])],
      })
    ).token;
    viewerWriteKey = await apiKeyToken(world.request, tokens.get('viewer')!, 'write');
  });
  after(async () => {
    await world.app.close();
    await world.t.storage.dispose();
  });

  const guarded = () => world.operations.filter((op) => !PUBLIC_OPERATIONS.has(`${op.method} ${op.path}`));

  test('every guarded route has a policy, and the policy names no route that does not exist', () => {
    const routes = new Set(guarded().map((op) => `${op.method} ${fastifyPath(op.path)}`));
    for (const route of routes) assert.ok(ROUTE_POLICY[route], `${route} needs a line in src/http/route-policy.ts`);
    for (const route of Object.keys(ROUTE_POLICY)) assert.ok(routes.has(route), `${route} is in the policy only`);
  });

  test('each role gets exactly what the policy grants; a refusal is 403 and changes nothing', async () => {
    let checked = 0;
    for (const role of ROLES) {
      const token = tokens.get(role)!;
      for (const op of guarded()) {
        if (op.path === '/api/v1/clicks/stream') continue; // streams forever when let in; its suite checks it
        const policy = policyOf(op.method, fastifyPath(op.path))!;
        const allowed = roleAllows(role, policy.permission);
        const key = `${role}: ${op.method} ${op.path}`;
        const read = op.method === 'GET';
        const { url } = fillPath(op.path, allowed && !read ? NOBODYS : world.ids);
        const before = await world.ownerDigest();
        const response = await world.request({
          method: op.method as 'GET',
          url,
          token,
          ...(op.hasBody ? { payload: allowed ? REFUSED_BODY : {} } : {}),
        });
        if (allowed) {
          assert.notEqual(response.statusCode, 403, `${key} is granted: ${response.body.slice(0, 200)}`);
          assert.ok(response.statusCode < 500, `${key}: ${response.statusCode} ${response.body.slice(0, 200)}`);
        } else {
          assert.equal(response.statusCode, 403, `${key} is not granted: ${response.body.slice(0, 200)}`);
          assert.equal(response.json().error.code, 'AUTHORIZATION_ERROR', key);
          assert.equal(await world.ownerDigest(), before, `${key} changed data`);
        }
        checked++;
      }
    }
    assert.ok(checked >= ROLES.length * 60, `checked ${checked} calls`);
  });

  test("a viewer's write-scoped API key still cannot write: a key carries at most its member's rights", async () => {
    for (const op of guarded()) {
      const policy = policyOf(op.method, fastifyPath(op.path))!;
      if (!WRITE_PERMISSIONS.has(policy.permission)) continue;
      const before = await world.ownerDigest();
      const response = await world.request({
        method: op.method as 'POST',
        url: fillPath(op.path, world.ids).url,
        token: viewerWriteKey,
        ...(op.hasBody ? { payload: {} } : {}),
      });
      assert.equal(response.statusCode, 403, `${op.method} ${op.path}: ${response.body.slice(0, 200)}`);
      assert.equal(await world.ownerDigest(), before);
    }
  });

  test('a member limited to some campaigns is refused every workspace-wide route', async () => {
    let refused = 0;
    for (const op of guarded()) {
      const policy = policyOf(op.method, fastifyPath(op.path))!;
      if (policy.limited !== 'workspace' || !roleAllows('viewer', policy.permission)) continue;
      const response = await world.request({
        method: op.method as 'GET',
        url: fillPath(op.path, world.ids).url,
        token: limitedViewer,
      });
      assert.equal(response.statusCode, 403, `${op.method} ${op.path}: ${response.body.slice(0, 200)}`);
      refused++;
    }
    assert.ok(refused >= 5, `refused ${refused}`);
  });

  test("GET /members/me's allowed_routes are exactly the routes the guard lets in, for every kind of caller", async () => {
    const callers: Array<[string, string]> = [
      ...[...tokens].map(([role, token]): [string, string] => [role, token]),
      ['limited viewer', limitedViewer],
      ['limited manager', limitedManager],
      ["viewer's write key", viewerWriteKey],
      ["owner's read key", await apiKeyToken(world.request, world.owner.token, 'read')],
    ];
    for (const [who, token] of callers) {
      const me = await world.request({ method: 'GET', url: '/api/v1/members/me', token });
      assert.equal(me.statusCode, 200, me.body);
      const allowed = new Set<string>(me.json().data.allowed_routes);
      for (const op of guarded()) {
        if (op.path === '/api/v1/clicks/stream') continue;
        const route = `${op.method} ${fastifyPath(op.path)}`;
        const before = await world.ownerDigest();
        // Writes name nobody's ids and a body the schema refuses: let in, they answer 400 or 404 and change nothing.
        const read = op.method === 'GET';
        const response = await world.request({
          method: op.method as 'GET',
          url: fillPath(op.path, read ? world.ids : NOBODYS).url,
          token,
          ...(op.hasBody ? { payload: REFUSED_BODY } : {}),
        });
        assert.equal(
          response.statusCode !== 403,
          allowed.has(route),
          `${who}: ${route} answered ${response.statusCode} but /members/me says ${allowed.has(route) ? 'allowed' : 'refused'}`,
        );
        assert.equal(await world.ownerDigest(), before, `${who}: ${route} changed data`);
      }
    }
    // A limited manager edits their campaign but may not create one: the case the dashboard's New campaign needs.
    const manager = (await world.request({ method: 'GET', url: '/api/v1/members/me', token: limitedManager })).json()
      .data;
    assert.ok(manager.allowed_routes.includes('PUT /api/v1/campaigns/:id'));
    assert.ok(!manager.allowed_routes.includes('POST /api/v1/campaigns'));
    assert.ok(manager.permissions.includes('campaigns:write'));
    assert.ok(!manager.permissions.includes('settings:read'), 'every settings:read route spans the workspace');
  });
});
