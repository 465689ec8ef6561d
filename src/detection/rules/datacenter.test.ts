import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../evaluate.ts';
import { DEFAULT_DETECTION_SETTINGS } from '../settings.ts';
import { NOW, makeInput } from '../test-input.ts';
import { UNKNOWN_REPUTATION, type IpInfo } from '../types.ts';
import { datacenterRule } from './datacenter.ts';

type Network = Pick<IpInfo, 'asn' | 'asOrg'>;
// ASNs 64496-64511 are reserved for documentation (RFC 5398): names alone decide for them.
const DOC_ASN = 64500;

describe('datacenter rule', () => {
  const cases: [string, Network, [string, number] | null][] = [
    // People at home and on phones.
    ['Comcast', { asn: 7922, asOrg: 'Comcast Cable Communications, LLC' }, null],
    ['Deutsche Telekom', { asn: 3320, asOrg: 'Deutsche Telekom AG' }, null],
    ['Charter', { asn: 20115, asOrg: 'Charter Communications' }, null],
    ['BT', { asn: 2856, asOrg: 'British Telecommunications PLC' }, null],
    ['Orange', { asn: 3215, asOrg: 'Orange S.A.' }, null],
    ['Reliance Jio', { asn: 55836, asOrg: 'Reliance Jio Infocomm Limited' }, null],
    ['T-Mobile US', { asn: 21928, asOrg: 'T-Mobile USA, Inc.' }, null],
    ['unknown network', { asn: null, asOrg: null }, null],
    ['known ASN, no name', { asn: 7922, asOrg: null }, null],
    // Clouds and hosts, by ASN, with the database's name.
    ['AWS', { asn: 16509, asOrg: 'Amazon.com, Inc.' }, ['AS16509 Amazon.com, Inc. is a hosting network', 75]],
    ['AWS us-east-1', { asn: 14618, asOrg: 'Amazon.com, Inc.' }, ['AS14618 Amazon.com, Inc. is a hosting network', 75]],
    [
      'DigitalOcean',
      { asn: 14061, asOrg: 'DigitalOcean, LLC' },
      ['AS14061 DigitalOcean, LLC is a hosting network', 75],
    ],
    ['Azure', { asn: 8075, asOrg: 'Microsoft Corporation' }, ['AS8075 Microsoft Corporation is a hosting network', 75]],
    ['Google Cloud', { asn: 396982, asOrg: 'Google LLC' }, ['AS396982 Google LLC is a hosting network', 75]],
    ['Hetzner', { asn: 24940, asOrg: 'Hetzner Online GmbH' }, ['AS24940 Hetzner Online GmbH is a hosting network', 75]],
    ['OVH', { asn: 16276, asOrg: 'OVH SAS' }, ['AS16276 OVH SAS is a hosting network', 75]],
    [
      'Vultr',
      { asn: 20473, asOrg: 'The Constant Company, LLC' },
      ['AS20473 The Constant Company, LLC is a hosting network', 75],
    ],
    [
      'Alibaba',
      { asn: 45102, asOrg: 'Alibaba (US) Technology Co., Ltd.' },
      ['AS45102 Alibaba (US) Technology Co., Ltd. is a hosting network', 75],
    ],
    [
      'Huawei Cloud',
      { asn: 136907, asOrg: 'HUAWEI INTERNATIONAL PTE. LTD.' },
      ['AS136907 HUAWEI INTERNATIONAL PTE. LTD. is a hosting network', 75],
    ],
    ['Oracle', { asn: 31898, asOrg: 'Oracle Corporation' }, ['AS31898 Oracle Corporation is a hosting network', 75]],
    [
      'Linode',
      { asn: 63949, asOrg: 'Akamai Technologies, Inc.' },
      ['AS63949 Akamai Technologies, Inc. is a hosting network', 75],
    ],
    ['M247', { asn: 9009, asOrg: 'M247 Europe SRL' }, ['AS9009 M247 Europe SRL is a hosting network', 75]],
    ['Contabo', { asn: 51167, asOrg: 'Contabo GmbH' }, ['AS51167 Contabo GmbH is a hosting network', 75]],
    [
      'listed ASN without a name uses the list name',
      { asn: 14061, asOrg: null },
      ['AS14061 DigitalOcean is a hosting network', 75],
    ],
    ['listed ASN with a blank name', { asn: 24940, asOrg: '  ' }, ['AS24940 Hetzner is a hosting network', 75]],
    // The curated list wins over an access-network word in the name.
    [
      'listed host named like a telecom',
      { asn: 36352, asOrg: 'ColoCrossing Telecom' },
      ['AS36352 ColoCrossing Telecom is a hosting network', 75],
    ],
    // CDN and relay networks: anonymised, often human.
    [
      'Cloudflare',
      { asn: 13335, asOrg: 'Cloudflare, Inc.' },
      ['AS13335 Cloudflare, Inc. is a CDN and proxy network', 50],
    ],
    [
      'iCloud Private Relay on Akamai',
      { asn: 36183, asOrg: 'Akamai Technologies, Inc.' },
      ['AS36183 Akamai Technologies, Inc. is a CDN and proxy network', 50],
    ],
    // Decided against: Google's, Meta's and ByteDance's own networks, secure web gateways.
    ['Google (not Google Cloud)', { asn: 15169, asOrg: 'Google LLC' }, null],
    ['Meta', { asn: 32934, asOrg: 'Facebook, Inc.' }, null],
    ['ByteDance', { asn: 396986, asOrg: 'Bytedance Inc.' }, null],
    ['Zscaler', { asn: 53813, asOrg: 'ZSCALER, INC.' }, null],
    ['an excluded ASN beats a hosting word', { asn: 6939, asOrg: 'Hurricane Electric Colocation' }, null],
    ['a carrier ASN beats a hosting word', { asn: 21928, asOrg: 'T-Mobile Cloud Services' }, null],
    // A VPN company's network is the vpn rule's.
    ['Mullvad', { asn: 216025, asOrg: 'Mullvad VPN AB' }, null],
    // Unlisted networks, by name.
    [
      'named hosting',
      { asn: DOC_ASN, asOrg: 'Fornex Hosting S.L.' },
      ['AS64500 Fornex Hosting S.L. is a hosting network (its name says "Hosting")', 75],
    ],
    [
      'named cloud',
      { asn: DOC_ASN, asOrg: 'Kasi Cloud Limited' },
      ['AS64500 Kasi Cloud Limited is a hosting network (its name says "Cloud")', 75],
    ],
    [
      'named data center',
      { asn: DOC_ASN, asOrg: 'H5 Data Centers' },
      ['AS64500 H5 Data Centers is a hosting network (its name says "Data Centers")', 75],
    ],
    [
      'named datacentre',
      { asn: DOC_ASN, asOrg: 'Varna Datacentre EOOD' },
      ['AS64500 Varna Datacentre EOOD is a hosting network (its name says "Datacentre")', 75],
    ],
    [
      'named VPS',
      { asn: DOC_ASN, asOrg: 'DREAM VPS LTD' },
      ['AS64500 DREAM VPS LTD is a hosting network (its name says "VPS")', 75],
    ],
    [
      'named servers',
      { asn: DOC_ASN, asOrg: 'UK Dedicated Servers Limited' },
      ['AS64500 UK Dedicated Servers Limited is a hosting network (its name says "Servers")', 75],
    ],
    [
      'named colocation',
      { asn: DOC_ASN, asOrg: 'Colocation America Corporation' },
      ['AS64500 Colocation America Corporation is a hosting network (its name says "Colocation")', 75],
    ],
    [
      'named, no ASN',
      { asn: null, asOrg: 'Server Farm LLC' },
      ['Server Farm LLC is a hosting network (its name says "Server")', 75],
    ],
    // Access networks whose names sound like hosting: the negative words win.
    ['fibre ISP named Cloud', { asn: DOC_ASN, asOrg: 'Cloud Fiber Internet LLC' }, null],
    ['telecom named Cloud', { asn: DOC_ASN, asOrg: 'CLOUD TELECOM SAS' }, null],
    [
      'Portuguese telecom named Servers',
      { asn: DOC_ASN, asOrg: 'Meta Servers Tecnologia e Telecomunicacaoes Ltda' },
      null,
    ],
    ['communications company named Cloud', { asn: DOC_ASN, asOrg: 'White Cloud Communications US, LLC' }, null],
    ['broadband named Hosting', { asn: DOC_ASN, asOrg: 'Broadband Hosting B.V.' }, null],
    ['cable operator named Cloud', { asn: DOC_ASN, asOrg: 'Cloud Net Cable and Telecom Inc.' }, null],
    ['wireless ISP named Cloud', { asn: DOC_ASN, asOrg: 'Cloud 9 Wireless LLC' }, null],
    ['ISP named Datacenter', { asn: DOC_ASN, asOrg: 'ISP Datacenter SARL' }, null],
    ['Brazilian ISP named Datacenter', { asn: DOC_ASN, asOrg: 'SIANET Datacenter e Provedores Ltda-ME' }, null],
    ['public Wi-Fi named The Cloud', { asn: DOC_ASN, asOrg: 'The Cloud Networks Limited' }, null],
    ['a city named St. Cloud', { asn: DOC_ASN, asOrg: 'CITY OF ST. CLOUD' }, null],
    // Words inside longer words are not hosting words.
    ['Cloudflare-like one word', { asn: DOC_ASN, asOrg: 'Cloudwave Ltd' }, null],
    ['Hostinger-like one word', { asn: DOC_ASN, asOrg: 'Hostnet Ltd' }, null],
    ['ordinary company', { asn: DOC_ASN, asOrg: 'Dedicated Freight Corridor Corporation of India Limited' }, null],
  ];
  for (const [name, network, expected] of cases) {
    it(name, () => {
      const input = makeInput({ ip: network });
      const signals = datacenterRule.evaluate(input, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
      assert.deepEqual(
        signals.map((s) => [s.message, s.score]),
        expected === null ? [] : [expected],
      );
      for (const signal of signals) assert.equal(signal.type, 'datacenter');
    });
  }
});

describe('datacenter in the verdict', () => {
  const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

  it('a browser on AWS is status vpn, fraud type datacenter', () => {
    const verdict = evaluate(makeInput({ ip: { asn: 16509, asOrg: 'Amazon.com, Inc.' } }), NOW);
    assert.equal(verdict.status, 'vpn');
    assert.deepEqual(verdict.fraudTypes, ['datacenter']);
    assert.deepEqual(verdict.reasons, [
      { type: 'datacenter', message: 'AS16509 Amazon.com, Inc. is a hosting network' },
    ]);
  });

  // Verified by a published range (the cloud alone vouches for nobody): then its cloud network is expected.
  const inRange = (company: string, entry: string) => ({
    ...UNKNOWN_REPUTATION,
    crawler: { list: `${company}-crawlers`, entry, company },
  });

  it('a verified crawler from Google Cloud is never fraud', () => {
    const verdict = evaluate(
      makeInput({
        visitor: { userAgent: GOOGLEBOT, ip: '34.100.182.100' },
        ip: { asn: 396982, asOrg: 'Google LLC', reputation: inRange('google', '34.100.182.96/28') },
      }),
      NOW,
    );
    assert.equal(verdict.isVerifiedBot, true);
    assert.deepEqual(verdict.fraudTypes, []);
  });

  it('a verified crawler from Azure is never fraud', () => {
    const bingbot = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)';
    const verdict = evaluate(
      makeInput({
        visitor: { userAgent: bingbot, ip: '157.55.39.1' },
        ip: { asn: 8075, asOrg: 'Microsoft Corporation', reputation: inRange('microsoft', '157.55.39.0/24') },
      }),
      NOW,
    );
    assert.equal(verdict.isVerifiedBot, true);
    assert.equal(verdict.fraudScore, 0);
  });
});
