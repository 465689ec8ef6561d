import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ok, pageMeta } from './envelope.ts';
import { ErrorSchema, okEmptySchema, okPageSchema, okSchema } from '../schemas/common.ts';

test('ok wraps nothing, one value, or a page of a list in the success envelope', () => {
  assert.deepEqual(ok(), { success: true });
  assert.deepEqual(ok({ id: 1 }), { success: true, data: { id: 1 } });
  assert.deepEqual(ok(null), { success: true, data: null });
  assert.deepEqual(ok([1, 2], pageMeta({ page: 2, perPage: 2, offset: 2 }, 5)), {
    success: true,
    data: [1, 2],
    meta: { page: 2, per_page: 2, total: 5 },
  });
});

test("a handler's ok(...) is checked against its route's response schema, and serialized by it", async () => {
  const app = Fastify({ logger: false }).withTypeProvider<TypeBoxTypeProvider>();
  // The error responses beside each success refer to it, as in the app (openapi.ts).
  app.addSchema(ErrorSchema);
  const Item = Type.Object({ n: Type.Integer() });
  app.get('/one', { schema: { response: okSchema(Item, 201) } }, async (_request, reply) => {
    reply.status(201);
    return ok({ n: 1 });
  });
  app.get('/page', { schema: { response: okPageSchema(Item) } }, async () =>
    ok([{ n: 1 }], pageMeta({ page: 1, perPage: 20, offset: 0 }, 1)),
  );
  app.delete('/one', { schema: { response: okEmptySchema() } }, async () => ok());
  // @ts-expect-error: `n` is an integer in the schema; tsc fails here if the handler's return stops being checked.
  app.get('/wrong', { schema: { response: okSchema(Item) } }, async () => ok({ n: 'one' }));
  try {
    assert.deepEqual((await app.inject({ url: '/one' })).json(), { success: true, data: { n: 1 } });
    assert.equal((await app.inject({ url: '/one' })).statusCode, 201);
    assert.deepEqual((await app.inject({ url: '/page' })).json(), {
      success: true,
      data: [{ n: 1 }],
      meta: { page: 1, per_page: 20, total: 1 },
    });
    assert.deepEqual((await app.inject({ method: 'DELETE', url: '/one' })).json(), { success: true });
  } finally {
    await app.close();
  }
});
