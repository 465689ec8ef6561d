import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { forEachDialect } from '../helpers/test-app.ts';

/**
 * Timing by counting rather than by clock: every scrypt derivation the server runs is recorded with
 * its cost parameters (node:crypto's scrypt wrapped, and the wrapper pushed into every module's
 * `import { scrypt }`). A sign-in path that costs one more or one fewer derivation is what made
 * unknown emails answer in 337 ms and known ones in 178 ms, and known API keys 50 times slower.
 */
const derivations: string[] = [];
const realScrypt = crypto.scrypt;
before(() => {
  const counting = ((...args: Parameters<typeof realScrypt>) => {
    const options = args.length === 5 ? (args[3] as crypto.ScryptOptions) : {};
    derivations.push(`N=${options.N} r=${options.r} p=${options.p}`);
    return (realScrypt as (...a: unknown[]) => void)(...args);
  }) as typeof realScrypt;
  crypto.scrypt = counting;
  syncBuiltinESMExports();
});
after(() => {
  crypto.scrypt = realScrypt;
  syncBuiltinESMExports();
});

forEachDialect('account enumeration by timing', (ctx) => {
  const costOf = async (run: () => Promise<unknown>) => {
    derivations.length = 0;
    await run();
    return [...derivations];
  };

  test('a sign-in costs the same scrypt work for a known and an unknown email, right or wrong password', async () => {
    const { request, signUp } = ctx();
    const { email, password } = await signUp();
    const signIn = (payload: object, remoteAddress: string) =>
      request({ method: 'POST', url: '/api/v1/auth/token', payload, remoteAddress });
    const known = await costOf(async () => {
      assert.equal((await signIn({ email, password: 'not-the-password' }, '203.0.113.1')).statusCode, 401);
    });
    const right = await costOf(async () => {
      assert.equal((await signIn({ email, password }, '203.0.113.1')).statusCode, 200);
    });
    const unknown = await costOf(async () => {
      const ghost = `ghost-${Date.now()}@example.com`;
      assert.equal((await signIn({ email: ghost, password: 'not-the-password' }, '203.0.113.2')).statusCode, 401);
    });
    assert.equal(known.length, 1, 'one derivation for a known email');
    assert.deepEqual(unknown, known, 'an unknown email costs the same derivations, at the same cost');
    assert.deepEqual(right, known);
  });

  test('an unknown API key costs the scrypt work a known one does', async () => {
    const { request, signUp } = ctx();
    const { token } = await signUp();
    const created = await request({ method: 'POST', url: '/api/v1/api-keys', token, payload: { name: 'k' } });
    const { api_key } = created.json<{ data: { api_key: string } }>().data;
    const exchange = (key: string) =>
      request({
        method: 'POST',
        url: '/api/v1/auth/token',
        payload: { api_key: key, api_secret: 'cs_wrong' },
        remoteAddress: '203.0.113.3',
      });
    const known = await costOf(async () => assert.equal((await exchange(api_key)).statusCode, 401));
    const unknown = await costOf(async () => assert.equal((await exchange('ck_doesnotexist')).statusCode, 401));
    assert.equal(known.length, 1);
    assert.deepEqual(unknown, known);
  });
});
