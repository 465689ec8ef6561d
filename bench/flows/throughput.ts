// The tracker's throughput with a flow against a plain campaign, same server, same run (issue 19: within
// 10 %). One SQLite tracker (`cloakradar serve`), one account, two campaigns: a plain destination_url,
// and a flow of 20 rules × 10 paths (landers and two offers per path) that most bench clicks fall
// through to the default. The phases alternate (plain, flow, plain, flow …) so drift on a shared
// machine hits both alike; the figure is the ratio of the summed throughputs.
//
//   npm run bench:flows-throughput                      (3 rounds of 8 s per campaign)
//   node --import tsx bench/flows/throughput.ts --rounds 2 --duration 5 --connections 50
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClientPool, createTraffic } from '../tracker/traffic.ts';
import { runPhase } from '../tracker/load.ts';
import { shutdown } from '../tracker/processes.ts';
import { startTracker } from '../tracker/targets.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '8' },
    connections: { type: 'string', default: '50' },
  },
  strict: true,
});
const ROUNDS = Number(flags.rounds);
const DURATION = Number(flags.duration);
const CONNECTIONS = Number(flags.connections);
const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

async function call(base: string, token: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { data?: { id?: number; uuid?: string } };
  if (response.status !== 201)
    throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json.data!;
}

const logDir = mkdtempSync(join(tmpdir(), 'cloakradar-bench-flows-'));
try {
  const target = await startTracker({ cwd: ROOT, logDir, label: 'flows' });
  target.setPlan?.('enterprise');
  const base = `http://${target.host}:${target.port}`;
  const token = target.token!;
  const offers: number[] = [];
  for (let i = 0; i < 20; i++)
    offers.push(
      (
        await call(base, token, 'POST', '/api/v1/offers', {
          name: `O${i}`,
          url: `https://o${i}.example/?cid={clickid}&s1={sub1}`,
          payout: 2,
        })
      ).id!,
    );
  const landers: number[] = [];
  for (let i = 0; i < 3; i++)
    landers.push(
      (
        await call(base, token, 'POST', '/api/v1/landers', {
          name: `L${i}`,
          url: `https://l${i}.example/?cid={clickid}`,
        })
      ).id!,
    );
  const countries = [
    'FR',
    'GB',
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
    'RO',
    'SK',
  ];
  const paths = (seed: number) =>
    Array.from({ length: 10 }, (_, p) => ({
      weight: 1 + (p % 3),
      ...(p % 2 === 0 ? { lander_id: landers[p % 3] } : {}),
      offers: [
        { offer_id: offers[(seed + p) % 20], weight: 70 },
        { offer_id: offers[(seed + p + 7) % 20], weight: 30 },
      ],
    }));
  const flow = {
    rules: countries.map((country, r) => ({
      name: `r${r}`,
      when: {
        country: [country],
        device: r % 2 ? ['desktop'] : ['mobile'],
        language: [['de', 'fr', 'en'][r % 3]!],
      },
      paths: paths(r),
    })),
    paths: paths(99),
  };
  const flowCampaign = await call(base, token, 'POST', '/api/v1/campaigns', { name: 'Flow benchmark', flow });
  const campaigns = { plain: target.campaignUuid, flow: flowCampaign.uuid! };
  const pool = createClientPool(50_000, 5_000);
  const totals = { plain: 0, flow: 0 };
  const perRound: string[] = [];
  for (const name of ['plain', 'flow'] as const) {
    const url = `${base}/c/${campaigns[name]}`;
    await runPhase({
      url,
      connections: CONNECTIONS,
      durationS: 5,
      traffic: createTraffic(campaigns[name], pool, 7),
      recordLatencies: false,
    });
  }
  for (let round = 0; round < ROUNDS; round++) {
    const rates: string[] = [];
    for (const name of ['plain', 'flow'] as const) {
      const url = `${base}/c/${campaigns[name]}`;
      const phase = await runPhase({
        url,
        connections: CONNECTIONS,
        durationS: DURATION,
        traffic: createTraffic(campaigns[name], pool, 0x9e3779b9 + round),
        recordLatencies: false,
      });
      if (phase.failures > 0) log(`${name}: ${phase.failures} failures`);
      totals[name] += phase.rps;
      rates.push(`${name} ${Math.round(phase.rps)}/s`);
      await sleep(300);
    }
    perRound.push(rates.join(', '));
    log(`round ${round + 1}: ${rates.join(', ')}`);
  }
  await target.stop();
  const ratio = totals.flow / totals.plain;
  console.log(
    `SQLite tracker, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION} s per campaign:`,
  );
  for (const line of perRound) console.log(`  ${line}`);
  console.log(
    `plain ${Math.round(totals.plain / ROUNDS)} clicks/s, flow (20 rules × 10 paths) ${Math.round(totals.flow / ROUNDS)} clicks/s: ${(ratio * 100).toFixed(1)} % of plain`,
  );
} finally {
  await shutdown();
  rmSync(logDir, { recursive: true, force: true });
}
