import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { computeSignature, signatureHeader, verifySignature } from './signature.ts';

const SECRET = 'whsec_test';
const BODY = '{"id":"evt_1","type":"ping"}';

test('the header is t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
  const expected = createHmac('sha256', SECRET).update(`1700000000.${BODY}`).digest('hex');
  assert.equal(computeSignature(SECRET, 1700000000, BODY), expected);
  assert.equal(signatureHeader(SECRET, 1700000000, BODY), `t=1700000000,v1=${expected}`);
});

test('verification: right secret and body within the tolerance only', () => {
  const header = signatureHeader(SECRET, 1700000000, BODY);
  assert.equal(verifySignature(SECRET, header, BODY, 1700000000), true);
  assert.equal(verifySignature(SECRET, header, BODY, 1700000299), true);
  assert.equal(verifySignature(SECRET, header, BODY, 1700000301), false, 'too old');
  assert.equal(verifySignature(SECRET, header, BODY, 1699999699), false, 'too far in the future');
  assert.equal(verifySignature('whsec_other', header, BODY, 1700000000), false);
  assert.equal(verifySignature(SECRET, header, `${BODY} `, 1700000000), false);
  assert.equal(
    verifySignature(SECRET, header.replace('t=1700000000', 't=1700000001'), BODY, 1700000000),
    false,
    't is signed',
  );
  assert.equal(
    verifySignature(SECRET, `v1=${computeSignature(SECRET, 1700000000, BODY)}`, BODY, 1700000000),
    false,
    'no t',
  );
  assert.equal(verifySignature(SECRET, 't=1700000000,v1=zz', BODY, 1700000000), false);
  assert.equal(verifySignature(SECRET, '', BODY, 1700000000), false);
  assert.equal(
    verifySignature(
      SECRET,
      `t=1700000000,v1=${'0'.repeat(64)},v1=${computeSignature(SECRET, 1700000000, BODY)}`,
      BODY,
      1700000000,
    ),
    true,
    'any v1 may match',
  );
});
