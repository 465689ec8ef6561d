// Property-based fuzzing of every route in the OpenAPI document: malformed JSON, wrong types,
// missing and unknown fields, huge strings and numbers, deep nesting, odd Unicode, SQL and CSV
// formula payloads, path and query junk. Every answer must be a 4xx (or a success) in the
// reference's error format, never a 5xx or a hang, and a refused request changes nothing stored.
// CI runs a fixed seed and budget; `npm run fuzz` runs longer (FUZZ_RUNS, FUZZ_SEED).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { STREAMING_PATHS, buildSecurityWorld, fillPath, type Operation, type SecurityWorld } from './fixtures.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const ERROR_CODES = new Set([
  'VALIDATION_ERROR',
  'AUTHENTICATION_ERROR',
  'AUTHORIZATION_ERROR',
  'NOT_FOUND',
  'RATE_LIMIT_EXCEEDED',
  'INTERNAL_ERROR',
]);

const nasty = fc.constantFrom(
  "' OR 1=1 --",
  '"; DROP TABLE clicks; --',
  '=HYPERLINK("http://evil")',
  '+cmd|/C calc',
  '-2+3',
  '@SUM(A1)',
  '../../etc/passwd',
  '%00',
  '\u0000',
  '\uFEFF',
  '\uD800',
  '🏴‍☠️',
  'ǅ'.repeat(50),
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  'x'.repeat(100_000),
  '9'.repeat(400),
  '-1',
  '0',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  '2024-02-30',
  '9999-99-99',
);
const scalar = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.bigInt().map(String),
);
const deep = fc
  .integer({ min: 50, max: 3_000 })
  .map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown);
const objectBody = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'name',
      'status',
      'url',
      'events',
      'campaign_id',
      'from',
      'to',
      'platform',
      'payout',
      'click_id',
      'email',
      'password',
      'scope',
      'cost_value',
      'destination_url',
      'thresholds',
      'ip_allowlist',
    ),
    fc.string({ maxLength: 12 }),
  ),
  fc.oneof(
    scalar,
    fc.array(scalar, { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), scalar, { maxKeys: 3 }),
  ),
  { maxKeys: 8 },
);
const body = fc.oneof(
  objectBody.map((value) => ({ json: value })),
  fc.jsonValue({ maxDepth: 4 }).map((value) => ({ json: value })),
  deep.map((value) => ({ json: value })),
  fc.constantFrom('{', '{"name":', '[1,2', 'not json', '{"a":1}}', '\u0000', '').map((raw) => ({ raw })),
);
const query = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'from',
      'to',
      'campaign_id',
      'status',
      'page',
      'per_page',
      'tz',
      'sort',
      'limit',
      'country',
      'platform',
      'format',
    ),
    fc.string({ maxLength: 8 }),
  ),
  fc.oneof(fc.string({ maxLength: 30 }), nasty, fc.integer().map(String)),
  { maxKeys: 5 },
);
const pathJunk = fc.oneof(
  nasty,
  fc.string({ maxLength: 30 }),
  fc.integer().map(String),
  fc.constant('0'),
  fc.constant('99999999999999999999'),
);

function encodeQuery(values: Record<string, string>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) search.append(key, value.slice(0, 2_000));
  const text = search.toString();
  return text ? `?${text}` : '';
}

describe('fuzzing every route of the OpenAPI document', () => {
  let world: SecurityWorld;
  before(async () => {
    world = await buildSecurityWorld();
  });
  after(async () => {
    await world.app.close();
    await world.t.storage.dispose();
  });

  test(`no 5xx, no hang, the error format always, nothing changed by a refusal (seed ${SEED}, ${RUNS} runs a route)`, async () => {
    const operations = world.operations.filter((op) => !STREAMING_PATHS.has(op.path));
    assert.ok(operations.length >= 40, `routes found: ${operations.length}`);
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(body, query, pathJunk, fc.boolean(), async (payload, params, junk, realIds) => {
          await check(
            world,
            op,
            payload,
            params,
            realIds ? fillPath(op.path, world.ids).url : op.path.replace(/\{[^}]+\}/g, encodeURIComponent(junk) || 'x'),
          );
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    }
  });
});

async function check(
  world: SecurityWorld,
  op: Operation,
  payload: { json?: unknown; raw?: string },
  params: Record<string, string>,
  path: string,
): Promise<void> {
  const before = await world.ownerDigest();
  const url = `${path}${encodeQuery(params)}`;
  const response = await Promise.race([
    world.request({
      method: op.method as 'POST',
      url,
      token: world.owner.token,
      ...(op.method === 'GET' || op.method === 'DELETE'
        ? {}
        : payload.raw !== undefined
          ? { payload: payload.raw, headers: { 'content-type': 'application/json' } }
          : { payload: JSON.stringify(payload.json ?? null), headers: { 'content-type': 'application/json' } }),
    }),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${op.method} ${url.slice(0, 120)} hung`)), 10_000),
    ),
  ]);
  const where = `${op.method} ${url.slice(0, 160)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
  assert.ok(response.statusCode < 500, where);
  if (response.statusCode >= 400) {
    const parsed = JSON.parse(response.body) as {
      success: boolean;
      error: { code: string; message: string; details?: Record<string, string[]> };
    };
    assert.equal(parsed.success, false, where);
    assert.ok(ERROR_CODES.has(parsed.error.code), where);
    assert.equal(typeof parsed.error.message, 'string', where);
    assert.ok(
      !/at \/|node_modules|SELECT |INSERT |sqlite|postgres/i.test(parsed.error.message),
      `no stack or SQL in messages: ${where}`,
    );
    assert.equal(await world.ownerDigest(), before, `a refused request changed stored data: ${where}`);
  }
}
