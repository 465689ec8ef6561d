import { randomBytes, randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { buildApp } from '../app.ts';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { AppError, validationError } from '../errors.ts';
import { DemoError, ensureCampaigns, signInOrRegister } from '../demo/demo-setup.ts';
import { existingClickIds, formatSummary, tallyRun } from '../demo/demo-summary.ts';
import { simulateTraffic } from '../demo/simulator.ts';
import { createSimulatedClock, sendClicks, sendPostbacks } from '../demo/traffic-runner.ts';
import { httpTransport } from '../demo/transport.ts';

const HOURS = 6;
const CONCURRENCY = 16;
const DEFAULT_EMAIL = 'demo@cloakradar.local';

interface DemoOptions {
  email: string;
  password?: string;
  clicks: string;
  seed?: string;
}

function integer(name: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < min || number > max) {
    throw validationError(
      name,
      `--${name} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, got "${value}"`,
    );
  }
  return number;
}

/** A progress bar on a terminal; on a pipe or in CI a line at every quarter, never a redrawn bar. */
function progress(label: string, total: number): { update(done: number): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      {
        format: `${label.padEnd(11)} {bar} {value}/{total} | {eta_formatted} left`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 200,
      },
      Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  let reported = 0;
  return {
    update(done) {
      const quarter = Math.floor((done / total) * 4);
      if (quarter > reported) {
        reported = quarter;
        process.stderr.write(`demo: ${label} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}\n`);
      }
    },
    stop: () => undefined,
  };
}

/**
 * The normal configuration (same DATA_DIR and DATABASE_URL as `serve`), with the in-process server
 * trusting 127.0.0.1 as its proxy so that the simulated X-Forwarded-For addresses count, and sign-up
 * open: this server listens on 127.0.0.1 only, for the demo's own requests.
 */
function demoConfig(config: Config): Config {
  return Object.freeze({ ...config, trustProxy: Object.freeze(['127.0.0.1']), signup: true });
}

async function runDemo(options: DemoOptions): Promise<void> {
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(options.email))
    throw validationError('email', `"${options.email}" is not an email address`);
  if (options.password !== undefined && options.password.length < 8)
    throw validationError('password', 'the password must be at least 8 characters');
  const clicks = integer('clicks', options.clicks, 1, 1_000_000);
  const seed = options.seed === undefined ? randomInt(0, 2 ** 31) : integer('seed', options.seed, 0, 2 ** 32 - 1);
  const password = options.password ?? randomBytes(12).toString('base64url');
  const config = demoConfig(loadConfig());

  const end = Date.now();
  const simulation = simulateTraffic({ seed, clicks, end, durationMs: HOURS * 3_600_000 });
  // The tracker reads a simulated clock: the account and campaigns are set up just before the first
  // click, and six hours of traffic replay in seconds with their real gaps.
  const clock = createSimulatedClock(simulation.start - 60_000);
  process.stderr.write(`demo: opening ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//…@')} and the IP data…\n`);
  const app = await buildApp({ config, logger: { level: 'warn', stream: process.stderr }, now: clock.now });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const transport = httpTransport(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, CONCURRENCY);
    try {
      const session = await signInOrRegister(transport, options.email, password, options.password !== undefined);
      if (session.postbackTokenRequired) {
        throw new DemoError(
          `${session.email} requires a postback token, which the demo cannot present: DELETE /api/v1/account/postback-token, or use another --email`,
        );
      }
      const campaigns = await ensureCampaigns(transport, session.token, simulation.campaigns, { targeted: true });
      const uuids = new Map(campaigns.map((campaign) => [campaign.key, campaign.uuid]));
      const campaignIds = campaigns.map((campaign) => campaign.id);
      const earlier = await existingClickIds(
        app.services.clicks,
        session.userId,
        campaignIds,
        simulation.start,
        simulation.end,
      );
      const started = Date.now();
      const bar = progress('clicks', simulation.clicks.length);
      const outcomes = await sendClicks(simulation.clicks, {
        transport,
        uuids,
        clock,
        concurrency: CONCURRENCY,
        onProgress: bar.update,
      });
      bar.stop();
      const failed = outcomes.filter((outcome) => outcome.status === 0 || outcome.status >= 500);
      if (failed.length === outcomes.length)
        throw new DemoError(
          `the tracker answered none of the clicks: ${failed[0]?.error ?? `HTTP ${failed[0]?.status}`}`,
        );
      const due = outcomes.filter((outcome) => outcome.clickId !== null && outcome.click.conversion !== null).length;
      const postbackBar = progress('postbacks', Math.max(1, due));
      const postbacks = await sendPostbacks(outcomes, {
        transport,
        clock,
        concurrency: CONCURRENCY,
        onProgress: postbackBar.update,
        txidSuffix: `-${end.toString(36)}`,
      });
      postbackBar.stop();
      const seconds = (Date.now() - started) / 1000;
      clock.set(Date.now());
      const tally = await tallyRun(
        app.services.clicks,
        session.userId,
        campaignIds,
        simulation.start,
        simulation.end,
        earlier,
      );
      console.log(
        formatSummary({
          tally,
          sent: outcomes.length,
          failed: failed.length,
          seconds,
          seed,
          hours: HOURS,
          campaigns,
          postbacks,
          email: session.email,
          newPassword: session.created && options.password === undefined ? password : null,
          publicUrl: config.publicUrl,
        }),
      );
    } finally {
      await transport.close();
    }
  } finally {
    await app.close();
  }
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'send realistic simulated traffic (people, bots, VPNs, click farms, ad crawlers) into a demo account, with conversions',
    )
    .option('--email <email>', 'the demo account (registered, or signed in to when it exists)', DEFAULT_EMAIL)
    .option('--password <password>', "the demo account's password (default: generated and printed once)")
    .option('--clicks <n>', 'how many clicks to simulate', '3000')
    .option('--seed <n>', 'random seed, to replay the same traffic (default: random, printed at the end)')
    .action(async (options: DemoOptions) => {
      try {
        await runDemo(options);
      } catch (error) {
        // Validation and configuration mistakes go to the command line's own one-line handler.
        if (error instanceof ConfigError || (error instanceof AppError && error.code === 'VALIDATION_ERROR'))
          throw error;
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`cloakradar: demo failed: ${message}\n`);
        process.exitCode = 1;
      }
    });
}
