import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { createTokenSigner } from './token.ts';

const SECRET = 'token-test-secret-token-test-secret-0000';

test('a verified token is remembered until its own expiry, then refused', async () => {
  let clock = Date.now();
  const signer = createTokenSigner(SECRET, () => clock);
  const token = await signer.sign({ userId: 7, scope: 'read', apiKeyId: 3 });
  const claims = { userId: 7, scope: 'read', apiKeyId: 3 };
  assert.deepEqual(await signer.verify(token), claims);
  // Remembered: the second answer needs no trip through the thread pool, so it comes in the same turn.
  let sameTurn = true;
  setImmediate(() => (sameTurn = false));
  assert.deepEqual(await signer.verify(token), claims);
  assert.ok(sameTurn, 'a remembered token is answered without waiting for the event loop');
  clock += 86_400_000;
  assert.equal(await signer.verify(token), undefined, 'expired, even though it was remembered');
  assert.equal(await signer.verify(token), undefined);
});

test('forged, tampered and other-key tokens are never remembered as valid', async () => {
  const signer = createTokenSigner(SECRET);
  const token = await signer.sign({ userId: 1, scope: 'write', apiKeyId: null });
  assert.ok(await signer.verify(token));
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const elevated = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: '2' }),
  ).toString('base64url');
  assert.equal(
    await signer.verify(`${header}.${elevated}.${signature}`),
    undefined,
    'a payload changed after a valid token was seen',
  );
  const other = await new SignJWT({ scope: 'write' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('1')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('another-secret-another-secret-another-0000'));
  assert.equal(await signer.verify(other), undefined);
  assert.equal(await signer.verify(other), undefined, 'a refusal is not remembered as a success');
  assert.equal(
    await createTokenSigner('a-different-secret-a-different-secret-00').verify(token),
    undefined,
    'another signer never shares what this one remembered',
  );
});
