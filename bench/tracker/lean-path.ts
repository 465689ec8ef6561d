// What the lean /c/ path saves, alone: the tracker's HTTP layer with a stub click (no storage, no detection), so
// the framework's share is not lost in the click's own cost and the machine's noise. Three servers, alternating:
// the bare node:http ceiling, Fastify configured as app.ts configures it with the /c/ route (routes/tracking.ts),
// and the same Fastify with the lean listener in front (routes/click-listener.ts). Each answers the same
// click with the same 302 through the same answer (click-answer.ts: campaign look-up, buildVisitor, prefetch and
// preview checks); only `track` is a stub. Server CPU per request at full load (autocannon, 50 connections).
//
//   node --import tsx bench/tracker/lean-path.ts [--rounds 3] [--duration 8]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Fastify, { LogController } from 'fastify';
import type { CampaignCache, TrackedCampaign } from '../../src/modules/campaigns/campaign-cache.ts';
import type { ClickTracker } from '../../src/modules/clicks/click-tracker.service.ts';
import trackingRoutes from '../../src/routes/tracking.ts';
import { createClickListener } from '../../src/routes/click-listener.ts';
import { createClickAnswerer } from '../../src/routes/click-answer.ts';
import { installErrorHandlers } from '../../src/http/error-handler.ts';
import { installSecurityHeaders } from '../../src/http/security-headers.ts';
import { logApiRequests } from '../../src/http/logger.ts';
import { clientErrorHandler, installBodyDeadline } from '../../src/http/client-limits.ts';
import { createClientPool, createTraffic } from './traffic.ts';
import { runPhase } from './load.ts';
import { freePort, measureCpu, shutdown, startNode, stopChild } from './processes.ts';
import { startCeiling, waitForStatus } from './targets.ts';

const { values: flags } = parseArgs({
  options: {
    serve: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '8' },
  },
  strict: true,
});

async function serve(mode: 'fastify' | 'lean'): Promise<void> {
  const campaign = { id: 1, userId: 1, uuid: 'bench', status: 'active', flow: null } as unknown as TrackedCampaign;
  const campaigns: CampaignCache = { get: () => Promise.resolve(campaign) };
  const tracker = {
    track: () =>
      Promise.resolve({ destination: 'https://shop.example/land?cid=clk_0000000000000000000000', blocked: false }),
    previewDestination: () => 'https://shop.example/land?cid=',
  } as unknown as ClickTracker;
  const now = Date.now;
  const listener = createClickListener(['127.0.0.1']);
  const app = Fastify({
    ...(mode === 'lean' ? { serverFactory: listener.serverFactory } : {}),
    logger: { level: 'warn' },
    trustProxy: ['127.0.0.1'],
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    requestTimeout: 30_000,
    clientErrorHandler,
    http: { connectionsCheckingInterval: 5_000 },
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
    return503OnClosing: true,
  });
  installBodyDeadline(app, 30_000);
  installErrorHandlers(app);
  await installSecurityHeaders(app);
  logApiRequests(app);
  listener.attach({
    answer: createClickAnswerer({ campaigns, tracker, now }),
    log: app.log,
    isUnavailable: () => false,
  });
  await app.register(trackingRoutes, { campaigns, tracker, now });
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
}

if (flags.serve === 'fastify' || flags.serve === 'lean') {
  await serve(flags.serve);
} else {
  const root = resolve(import.meta.dirname, '../..');
  const logDir = mkdtempSync(join(tmpdir(), 'cloakradar-lean-path-'));
  const pool = createClientPool(50_000, 5_000);
  const durationS = Number(flags.duration);
  for (let round = 1; round <= Number(flags.rounds); round++) {
    for (const mode of ['ceiling', 'fastify', 'lean'] as const) {
      let host = '127.0.0.1';
      let port: number;
      let pid: number;
      let stop: () => Promise<void>;
      if (mode === 'ceiling') {
        const ceiling = await startCeiling(root, logDir);
        ({ host, port, pid } = ceiling);
        stop = ceiling.stop;
      } else {
        port = await freePort();
        const started = startNode(
          ['--import', 'tsx', 'bench/tracker/lean-path.ts', '--serve', mode],
          { PATH: process.env.PATH, PORT: String(port) },
          join(logDir, `${mode}.log`),
          root,
        );
        await waitForStatus(`http://${host}:${port}/c/bench?sub1=x`, 302, started, 60_000);
        pid = started.pid;
        stop = () => stopChild(started.child);
      }
      const url = `http://${host}:${port}`;
      const traffic = () =>
        createTraffic('bench00000000001', pool, 0x9e3779b9, 'sub1=bench&cost=0.0042&zoneid={zone}&visitor_id=');
      await runPhase({ url, connections: 50, durationS: 3, traffic: traffic() });
      const meter = measureCpu([pid]);
      const start = performance.now();
      const result = await runPhase({ url, connections: 50, durationS, traffic: traffic() });
      const cpu = meter.stop();
      const elapsed = (performance.now() - start) / 1000;
      console.log(
        JSON.stringify({
          round,
          mode,
          rps: Math.round(result.rps),
          statuses: result.statusCounts,
          serverCores: Number(cpu.processes[0]!.toFixed(3)),
          otherCores: Number(cpu.other.toFixed(2)),
          usPerRequest: Math.round(((cpu.processes[0]! * elapsed) / result.completed) * 1e6),
        }),
      );
      await stop();
    }
  }
  await shutdown();
}
