import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/test-app.ts';

// The app's clock: a lock is waited out by moving it, not by sleeping.
let clock = Date.UTC(2026, 5, 1, 12);

forEachDialect(
  'sign-in limits',
  (ctx) => {
    const signIn = (payload: object, remoteAddress: string, token?: string) =>
      ctx().request({ method: 'POST', url: '/api/v1/auth/token', payload, remoteAddress, token });

    test("an attacker's own valid token buys no fresh guesses: the target account locks, longer each time, then lets its owner in", async () => {
      const { signUp } = ctx();
      const attacker = await signUp();
      const other = await signUp();
      const victim = await signUp();
      const address = '198.51.100.10';
      for (let i = 1; i <= 5; i++) {
        const wrong = await signIn({ email: victim.email, password: `guess-${i}` }, address, attacker.token);
        assert.equal(wrong.statusCode, 401, `guess ${i}`);
      }
      // Locked now, for everyone and every token, even with the right password.
      for (const token of [attacker.token, other.token, undefined]) {
        const locked = await signIn({ email: victim.email, password: victim.password }, address, token);
        assert.equal(locked.statusCode, 429);
        assert.equal(locked.json().success, false);
        assert.equal(locked.json().error.code, 'RATE_LIMIT_EXCEEDED');
        assert.equal(locked.headers['retry-after'], '30');
      }
      // From another address too: the lock is the account's.
      const elsewhere = await signIn({ email: victim.email, password: 'guess-x' }, '198.51.100.11');
      assert.equal(elsewhere.statusCode, 429);

      clock += 31_000;
      const sixth = await signIn({ email: victim.email, password: 'guess-6' }, address, attacker.token);
      assert.equal(sixth.statusCode, 401);
      const longer = await signIn({ email: victim.email, password: victim.password }, address);
      assert.equal(longer.statusCode, 429);
      assert.equal(longer.headers['retry-after'], '60', 'the lock doubles with each further failure');

      clock += 61_000;
      const owner = await signIn({ email: victim.email, password: victim.password }, address);
      assert.equal(owner.statusCode, 200, 'a lock ends by itself');
      // A success forgets the failures: one more wrong password does not lock again.
      assert.equal((await signIn({ email: victim.email, password: 'typo' }, address)).statusCode, 401);
      assert.equal((await signIn({ email: victim.email, password: victim.password }, address)).statusCode, 200);
    });

    test('unknown emails lock exactly like known ones (a lock tells nothing about who has an account)', async () => {
      const address = '198.51.100.20';
      const ghost = `ghost-${Date.now()}@example.com`;
      for (let i = 1; i <= 5; i++) {
        assert.equal((await signIn({ email: ghost, password: `guess-${i}` }, address)).statusCode, 401);
      }
      const locked = await signIn({ email: ghost, password: 'guess-6' }, address);
      assert.equal(locked.statusCode, 429);
      assert.equal(locked.headers['retry-after'], '30');
    });

    test('one address gets 20 sign-in attempts a minute, whatever emails, keys or tokens it sends', async () => {
      const { signUp } = ctx();
      const { token, email, password } = await signUp();
      const address = '198.51.100.30';
      clock += 60_000 - (clock % 60_000); // the start of a fresh minute window
      for (let i = 0; i < 20; i++) {
        const attempt = await signIn(
          { api_key: `ck_nope${i}`, api_secret: 'cs_nope' },
          address,
          i % 2 ? token : undefined,
        );
        assert.equal(attempt.statusCode, 401, `attempt ${i + 1}`);
      }
      for (const body of [
        { email, password },
        { api_key: 'ck_nope', api_secret: 'cs_nope' },
      ]) {
        const refused = await signIn(body, address, token);
        assert.equal(refused.statusCode, 429);
        assert.equal(refused.json().error.code, 'RATE_LIMIT_EXCEEDED');
        assert.equal(refused.headers['retry-after'], '60');
      }
      assert.equal((await signIn({ email, password }, '198.51.100.31')).statusCode, 200, 'another address is not held');
      clock += 60_000;
      assert.equal((await signIn({ email, password }, address)).statusCode, 200, 'the next minute is open again');
    });
  },
  {},
  { now: () => clock },
);
