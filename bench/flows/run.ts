// Flow routing cost: what a campaign's flow adds to a click on the hot path (SPEC section 8, issue 19:
// a flow with 20 rules and 10 paths must cost under 5 µs per click).
//
//   npm run bench:flows
//   npm run bench:flows -- --inputs 20000 --rounds 50
//
// Timed per click, as click-tracker.service.ts does it: the FlowVisit built from the Visitor, its IP's
// location and network and its user agent (flow-visit.ts), the visitor's seed (visitSeed), the rule
// match and the weighted path and offer choice (routeVisit), and the destination URL with its macros.
// The flow is compiled once, outside the timed loop, as the campaign cache does. Half of the visitors
// match no rule, so every one of the 20 rules is tried before the default (the worst case).
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { buildDestinationUrl } from '../../src/modules/campaigns/destination.ts';
import { flowVisit } from '../../src/modules/clicks/flow-visit.ts';
import { buildVisitor } from '../../src/modules/clicks/visitor.ts';
import { compileFlow, routeVisit, visitSeed } from '../../src/modules/flows/flow-router.ts';
import type { Flow } from '../../src/modules/flows/flow.ts';
import type { IpInfo } from '../../src/intel/ip-intel.ts';
import type { Device } from '../../src/intel/user-agent.ts';

const { values: flags } = parseArgs({
  options: {
    inputs: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '30' },
    samples: { type: 'string', default: '7' },
  },
  strict: true,
});
const INPUTS = Number(flags.inputs);
const ROUNDS = Number(flags.rounds);
const SAMPLES = Number(flags.samples);

const RULES = 20;
const PATHS = 10;
const COUNTRIES = [
  'DE',
  'FR',
  'GB',
  'US',
  'IT',
  'ES',
  'NL',
  'PL',
  'SE',
  'AT',
  'CH',
  'BE',
  'CZ',
  'PT',
  'DK',
  'FI',
  'NO',
  'IE',
  'GR',
  'HU',
];
const OFFERS = new Map(
  Array.from(
    { length: 40 },
    (_, i) =>
      [i + 1, { id: i + 1, url: `https://offer${i + 1}.example/go?cid={clickid}&c={country}&s={sub1}` }] as const,
  ),
);
const LANDERS = new Map(
  Array.from(
    { length: 5 },
    (_, i) => [i + 1, { id: i + 1, url: `https://lander${i + 1}.example/?cid={clickid}` }] as const,
  ),
);

const paths = (seed: number) =>
  Array.from({ length: PATHS }, (_, p) => ({
    weight: 1 + ((seed + p) % 5),
    ...(p % 2 === 0 ? { lander_id: 1 + (p % 5) } : {}),
    offers: [
      { offer_id: 1 + ((seed + p) % 40), weight: 70 },
      { offer_id: 1 + ((seed + p + 7) % 40), weight: 30 },
    ],
  }));

// Each rule names several fields, as buyers write them: a country, devices, a language, a parameter, hours.
const flow: Flow = {
  rules: Array.from({ length: RULES }, (_, r) => ({
    name: `rule-${r}`,
    when: {
      country: [COUNTRIES[r]!],
      device: r % 2 === 0 ? ['mobile', 'tablet'] : ['desktop'],
      language: [['de', 'fr', 'en', 'it', 'es'][r % 5]!],
      ...(r % 3 === 0 ? { params: { utm_source: ['push', 'native'] } } : {}),
      ...(r % 4 === 0 ? { hour: Array.from({ length: 18 }, (_, h) => h + 6) } : {}),
      ...(r % 5 === 0 ? { connection: 'mobile' as const } : {}),
    },
    paths: paths(r),
  })),
  paths: paths(99),
  rotation: 'weights',
};
const compiled = compileFlow(flow, OFFERS, LANDERS);

const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
];
const LANGUAGES = ['de-DE,de;q=0.9', 'fr-FR,fr;q=0.9', 'en-US,en;q=0.9', 'it-IT', 'es-ES', 'ja-JP'];

interface Input {
  visitor: ReturnType<typeof buildVisitor>;
  ip: IpInfo;
  device: Device;
  key: string;
}

const inputs: Input[] = Array.from({ length: INPUTS }, (_, i) => {
  // Every other visitor comes from a country no rule names: all 20 rules are tried.
  const country = i % 2 === 0 ? 'BR' : COUNTRIES[i % COUNTRIES.length]!;
  const mobile = i % 3 === 0;
  return {
    visitor: buildVisitor({
      ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      method: 'GET',
      protocol: 'https',
      headers: { 'user-agent': UAS[mobile ? 1 : 0]!, 'accept-language': LANGUAGES[i % LANGUAGES.length]! },
      query: { sub1: `s${i % 50}`, ...(i % 4 === 0 ? { utm_source: 'push' } : {}) },
    }),
    ip: {
      country,
      region: null,
      city: null,
      asn: 3320 + (i % 7),
      asOrg: i % 5 === 0 ? 'Vodafone Mobile' : 'Telekom',
    } as IpInfo,
    device: {
      device: mobile ? 'mobile' : 'desktop',
      os: mobile ? 'iOS' : 'Windows',
      osVersion: null,
      browser: mobile ? 'Safari' : 'Chrome',
      browserVersion: null,
    },
    key: `visitor-${i}`,
  };
});

let sink = 0;
function pass(withUrl: boolean, now: number): void {
  for (const input of inputs) {
    const visit = flowVisit(input.visitor, input.ip, input.device, now, compiled.needsConnection);
    const route = routeVisit(compiled, visit, visitSeed(input.key, 7));
    if (!route) continue;
    if (withUrl) {
      const url = buildDestinationUrl(route.lander ? route.lander.url : route.offer.url, {
        ...input.visitor.query,
        clickid: 'clk_0123456789012345678901',
        campaign_id: '7',
        country: input.ip.country ?? '',
        device: input.device.device,
      });
      sink += url.length;
    } else sink += route.path;
  }
}

function measure(withUrl: boolean): number {
  const now = Date.UTC(2026, 11, 5, 10);
  for (let i = 0; i < 3; i++) pass(withUrl, now); // warm-up: compiled code, inline caches
  const perClick: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const start = performance.now();
    for (let r = 0; r < ROUNDS; r++) pass(withUrl, now);
    perClick.push(((performance.now() - start) * 1000) / (ROUNDS * INPUTS));
  }
  perClick.sort((a, b) => a - b);
  return perClick[Math.floor(perClick.length / 2)]!;
}

const routing = measure(false);
const withUrl = measure(true);
const rulesTried = inputs.filter((input) => input.ip.country === 'BR').length / INPUTS;
console.log(
  `Flow: ${RULES} rules × ${PATHS} paths (2 offers each), ${INPUTS} distinct visitors, ${(rulesTried * 100).toFixed(0)} % matching no rule`,
);
console.log(`Node ${process.version}, ${ROUNDS} rounds × ${SAMPLES} samples, median per click:`);
console.log(`  visit + seed + rule match + path/offer choice: ${routing.toFixed(3)} µs`);
console.log(`  … plus the destination URL with macros:        ${withUrl.toFixed(3)} µs`);
console.log(routing < 5 ? 'OK: under the 5 µs budget' : 'OVER the 5 µs budget');
if (sink === 0) console.log('');
process.exitCode = routing < 5 ? 0 : 1;
