import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DESTINATION_URL_LENGTH, buildDestinationUrl, validateDestinationTemplate } from './destination.ts';

describe('buildDestinationUrl', () => {
  const values = {
    clickid: 'clk_0123456789abcdefghijkl',
    campaign_id: '42',
    country: 'US',
    device: 'mobile',
    sub1: 'a&b=c',
    sub2: 'two words',
    sub3: 'café 日本 🎯',
    sub4: undefined,
    gclid: 'Cj0KCQ/x+y==',
    utm_source: 'google',
    nested: '{clickid}',
  };
  const cases: [string, string, string][] = [
    [
      'standard macros',
      'https://shop.example/?cid={clickid}&camp={campaign_id}&geo={country}&dev={device}',
      'https://shop.example/?cid=clk_0123456789abcdefghijkl&camp=42&geo=US&dev=mobile',
    ],
    ['& and = are encoded', 'https://shop.example/?s={sub1}', 'https://shop.example/?s=a%26b%3Dc'],
    ['spaces are %20', 'https://shop.example/?s={sub2}', 'https://shop.example/?s=two%20words'],
    [
      'unicode is UTF-8 encoded',
      'https://shop.example/?s={sub3}',
      'https://shop.example/?s=caf%C3%A9%20%E6%97%A5%E6%9C%AC%20%F0%9F%8E%AF',
    ],
    [
      '/, + and = of a gclid are encoded',
      'https://shop.example/?gclid={gclid}',
      'https://shop.example/?gclid=Cj0KCQ%2Fx%2By%3D%3D',
    ],
    ['undefined value → empty', 'https://shop.example/?s={sub4}', 'https://shop.example/?s='],
    ['unknown macro → empty', 'https://shop.example/?x={nope}&y=1', 'https://shop.example/?x=&y=1'],
    ['incoming query parameter by name', 'https://shop.example/?src={utm_source}', 'https://shop.example/?src=google'],
    [
      'macro names are case-insensitive',
      'https://shop.example/?cid={ClickID}',
      'https://shop.example/?cid=clk_0123456789abcdefghijkl',
    ],
    ['values are not expanded again', 'https://shop.example/?n={nested}', 'https://shop.example/?n=%7Bclickid%7D'],
    [
      'non-macro braces stay',
      'https://shop.example/{a-b}/{}/{x y}?j={"k":1}',
      'https://shop.example/{a-b}/{}/{x y}?j={"k":1}',
    ],
    [
      'name over 64 chars stays',
      `https://shop.example/?x={${'a'.repeat(65)}}`,
      `https://shop.example/?x={${'a'.repeat(65)}}`,
    ],
    ['macro in the path', 'https://shop.example/{country}/landing', 'https://shop.example/US/landing'],
    ['macro in the host is substituted too', 'https://{country}.shop.example/', 'https://US.shop.example/'],
    ['macro in the fragment', 'https://shop.example/#{sub2}', 'https://shop.example/#two%20words'],
    [
      'prototype names are not values',
      'https://shop.example/?a={constructor}&b={__proto__}&c={tostring}',
      'https://shop.example/?a=&b=&c=',
    ],
    ['no macros → unchanged', 'https://shop.example/p?q=1', 'https://shop.example/p?q=1'],
  ];
  for (const [name, template, expected] of cases) {
    it(name, () => assert.equal(buildDestinationUrl(template, values), expected));
  }

  it('replaces a lone surrogate instead of throwing', () => {
    assert.equal(
      buildDestinationUrl('https://x.example/?s={sub1}', { sub1: 'a\ud800' }),
      'https://x.example/?s=a%EF%BF%BD',
    );
  });
});

describe('validateDestinationTemplate', () => {
  const valid = [
    'https://x.com/?c={clickid}',
    'http://x.com',
    'https://shop.example/{country}/p?cid={clickid}&s1={sub1}&g={gclid}#{sub2}',
    'https://shop.example:8443/p?c={clickid}',
    'https://[2001:db8::1]/p?c={clickid}',
    'https://xn--caf-dma.example/?c={CLICKID}',
    'https://shop.example/{not-a-macro}/{}',
  ];
  for (const url of valid) it(`accepts ${url}`, () => assert.equal(validateDestinationTemplate(url), null));

  const invalid: [string, RegExp][] = [
    ['', /required/],
    ['   ', /required/],
    ['javascript:alert(1)', /http or https/],
    ['JavaScript:alert({clickid})', /http or https/],
    ['data:text/html,<b>hi</b>', /http or https/],
    ['ftp://files.example/a', /http or https/],
    ['/relative/path?c={clickid}', /absolute/],
    ['//x.com/p', /absolute/],
    ['x.com/?c={clickid}', /absolute/],
    ['{scheme}://x.com/', /absolute|http or https|scheme/],
    ['https://{sub1}/', /host/],
    ['https://{country}.shop.example/', /host/],
    ['https://shop.example{sub1}/', /host/],
    ['https://shop.example:{port}/', /absolute|port/],
    ['https://user:pass@x.com/', /user name or password/],
    ['https://{sub1}@x.com/', /user name or password/],
    ['https://x.com/a b', /spaces or control/],
    ['https://x.com/\n?c=1', /spaces or control/],
    [' https://x.com/', /spaces or control/],
    [`https://x.com/?q=${'a'.repeat(MAX_DESTINATION_URL_LENGTH)}`, /at most/],
  ];
  for (const [url, message] of invalid) {
    it(`rejects ${JSON.stringify(url.slice(0, 60))}`, () =>
      assert.match(validateDestinationTemplate(url) ?? 'accepted', message));
  }
});
