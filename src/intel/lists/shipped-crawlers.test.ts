// The shipped crawler snapshot judged with real addresses: the package alone, no `intel update`,
// the bundled ASN data, the real verified-crawler rule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '../../detection/evaluate.ts';
import { NOW, makeInput } from '../../detection/test-input.ts';
import { openAsnIndex } from '../asn.ts';
import { openIpReputation } from './reputation.ts';
import { SHIPPED_CRAWLER_LISTS } from './shipped/crawler-ranges.ts';
import { parseListBody } from './entries.ts';
import { tempDir } from './test-support.ts';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const ADSBOT = 'AdsBot-Google (+http://www.google.com/adsbot.html)';
const BINGBOT =
  'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/131.0.6778.69 Safari/537.36';
const ADIDXBOT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko; compatible; adidxbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/131.0.6778.69 Safari/537.36';
const APPLEBOT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)';

test('every shipped crawler list parses whole, with no bad prefix and no repeat', () => {
  const counts = SHIPPED_CRAWLER_LISTS.map((list) => {
    const prefixes = list.prefixes.trim().split(/\s+/);
    const parsed = parseListBody('cidr-lines', prefixes.join('\n'));
    assert.equal(parsed.bad, 0, list.id);
    assert.equal(parsed.entries.length, prefixes.length, `${list.id} has no repeats`);
    return [list.id, list.company, prefixes.length];
  });
  assert.deepEqual(counts, [
    ['googlebot', 'google', 307],
    ['google-special-crawlers', 'google', 267],
    ['bingbot', 'microsoft', 28],
    ['applebot', 'apple', 24],
  ]);
});

test('out of the box: real crawler addresses are verified, the same claims from the rented clouds are bots', async () => {
  const reputation = openIpReputation({ dataDir: tempDir() });
  const asn = await openAsnIndex({ dataDir: join(tmpdir(), 'cloakradar-test-intel') });
  const cases: [string, string, string, 'verified' | 'bot', RegExp][] = [
    // Google's own network, and Google's ranges inside Google Cloud (googlebot.json's /28s).
    ['66.249.66.1', GOOGLEBOT, 'Googlebot from Google', 'verified', /from AS15169 Google LLC is a verified/],
    ['2001:4860:4801:10::1', GOOGLEBOT, 'Googlebot over IPv6', 'verified', /verified search crawler/],
    [
      '34.100.182.100',
      GOOGLEBOT,
      'Googlebot in a /28 inside Google Cloud',
      'verified',
      /published range 34\.100\.182\.96\/28/,
    ],
    [
      '35.247.243.241',
      ADSBOT,
      'AdsBot in a /28 inside Google Cloud',
      'verified',
      /published range 35\.247\.243\.240\/28/,
    ],
    ['66.249.90.77', ADSBOT, 'AdsBot from a special-crawlers range', 'verified', /verified Google Ads/],
    // Anyone's Google Cloud machine.
    [
      '34.100.1.1',
      GOOGLEBOT,
      'Googlebot elsewhere in Google Cloud',
      'bot',
      /cloud network Google shares with its customers/,
    ],
    ['35.186.1.1', ADSBOT, 'AdsBot on a Google Cloud VM', 'bot', /AS396982 Google LLC, a cloud network/],
    ['2600:1900:0:100::1', GOOGLEBOT, 'Googlebot from Google Cloud over IPv6', 'bot', /AS396982/],
    // Bing's published ranges are all in Microsoft's network, which Azure shares.
    ['157.55.39.1', BINGBOT, 'bingbot from its published range', 'verified', /published range 157\.55\.39\.0\/24/],
    ['20.15.133.161', BINGBOT, 'bingbot in a /27 inside Azure', 'verified', /published range 20\.15\.133\.160\/27/],
    ['52.167.144.20', ADIDXBOT, 'AdIdxBot from a bingbot range', 'verified', /verified Microsoft Advertising/],
    ['20.100.1.1', BINGBOT, 'bingbot from an Azure VM', 'bot', /AS8075 Microsoft Corporation, a cloud network/],
    ['40.112.1.1', ADIDXBOT, 'AdIdxBot from an Azure VM', 'bot', /outside Microsoft's published crawler ranges/],
    ['2a01:111::1', BINGBOT, 'bingbot from Azure over IPv6', 'bot', /AS8075/],
    ['20.100.1.1', GOOGLEBOT, 'Googlebot from Azure', 'bot', /not a Google network/],
    ['17.241.208.161', APPLEBOT, 'Applebot from Apple', 'verified', /verified Apple search crawler/],
  ];
  for (const [ip, userAgent, name, expected, message] of cases) {
    const as = asn.lookup(ip);
    const input = makeInput({
      visitor: { ip, userAgent, headers: { accept: '*/*' } },
      ip: { asn: as?.asn ?? null, asOrg: as?.org ?? null, reputation: reputation.lookup(ip) },
    });
    const verdict = evaluate(input, NOW);
    assert.equal(verdict.isVerifiedBot, expected === 'verified', `${name}: ${verdict.reasons[0]?.message}`);
    assert.equal(verdict.status, 'bot', name);
    if (expected === 'bot') assert.ok(verdict.fraudTypes.includes('bot'), name);
    assert.match(verdict.reasons.map((r) => r.message).join(' / '), message, name);
  }
});
