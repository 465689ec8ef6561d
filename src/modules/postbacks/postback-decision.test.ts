import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decidePostback, type PostbackSubject, type PostbackTarget } from './postback-decision.ts';

const target: PostbackTarget = {
  sourceId: 1,
  userId: 1,
  template:
    'https://n.example/pb?id={external_id}&p={payout}&s={status}&e={event}&t={txid}&z={placement}&c={country}&x={sub6}',
  statuses: ['approved'],
  sendFraudulent: false,
};
const subject: PostbackSubject = {
  clickId: 'clk_a',
  externalId: 'ext-1',
  placement: 'zone 9',
  country: 'DE',
  subs: [null, null, null, null, null, 's6'],
  fraudTypes: [],
  campaignId: 4,
  status: 'approved',
  payout: 2.5,
  txid: null,
  event: 'sale',
  suspiciousReasons: [],
};

test('a counted conversion of a clean click is sent with every macro filled', () => {
  assert.deepEqual(decidePostback(target, subject), {
    send: true,
    url: 'https://n.example/pb?id=ext-1&p=2.5&s=approved&e=sale&t=&z=zone%209&c=DE&x=s6',
  });
});

test('a duplicate is a repeat visit, not fraud: sent; any other fraud type is withheld unless the source wants it', () => {
  assert.equal(decidePostback(target, { ...subject, fraudTypes: ['duplicate'] }).send, true);
  const bot = decidePostback(target, { ...subject, fraudTypes: ['duplicate', 'bot', 'vpn'] });
  assert.equal(bot.send, false);
  assert.match(!bot.send ? bot.reason : '', /fraudulent \(bot, vpn\)/);
  assert.equal(decidePostback({ ...target, sendFraudulent: true }, { ...subject, fraudTypes: ['bot'] }).send, true);
});

test('a status the source does not take, or a missing external_id the URL needs, is withheld with the reason', () => {
  const pending = decidePostback(target, { ...subject, status: 'pending' });
  assert.equal(pending.send, false);
  assert.match(!pending.send ? pending.reason : '', /pending; the source sends only approved/);
  const noId = decidePostback(target, { ...subject, externalId: null });
  assert.match(!noId.send ? noId.reason : '', /no external_id/);
  // A URL that does not use {external_id} does not need it.
  assert.equal(
    decidePostback({ ...target, template: 'https://n.example/pb?c={click_id}' }, { ...subject, externalId: null }).send,
    true,
  );
});

test('a suspicious conversion (a fake lead) is withheld with its reasons unless the source wants it', () => {
  const fast = { ...subject, suspiciousReasons: ['Converted 1.2 s after the click (minimum 3 s)'] };
  const decision = decidePostback(target, fast);
  assert.equal(decision.send, false);
  assert.match(
    !decision.send ? decision.reason : '',
    /suspicious \(Converted 1\.2 s after the click \(minimum 3 s\)\).*postback_fraudulent is false/,
  );
  assert.equal(decidePostback({ ...target, sendFraudulent: true }, fast).send, true);
});
