import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskSecrets, substituteMacros, templateMacros } from './postback-url.ts';

test('macros are replaced by URL-encoded values; absent ones and unknown ones become empty', () => {
  const url = substituteMacros('http://n.example/pb?v={external_id}&p={payout}&e={event}&s={sub7}&x={nope}', {
    external_id: 'a b&c=d/é',
    payout: 12.5,
    event: 'sale',
  });
  assert.equal(url, 'http://n.example/pb?v=a%20b%26c%3Dd%2F%C3%A9&p=12.5&e=sale&s=&x=');
});

test('templateMacros names the macros a template uses', () => {
  assert.deepEqual([...templateMacros('http://x/?a={external_id}&b={payout}&c={payout}')], ['external_id', 'payout']);
});

test('values of parameters named like credentials are masked, the rest stays as called', () => {
  assert.equal(
    maskSecrets('https://n.example/pb?aid=1&api_key=abc&Token=x%20y&visitor_id=v1&secret=&pass#frag'),
    'https://n.example/pb?aid=1&api_key=***&Token=***&visitor_id=v1&secret=***&pass#frag',
  );
  assert.equal(maskSecrets('https://n.example/pb'), 'https://n.example/pb');
  assert.equal(maskSecrets('https://n.example/pb?%61pikey=1'), 'https://n.example/pb?%61pikey=***');
});
