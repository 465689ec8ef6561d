// One CloakRadar node for the several-node tests: the real app on a real port, configured from the
// environment like `serve`, with the fraud report runner tuned by SCALE_* variables (a short lease, small
// chunks) so a test can kill a node mid-report and watch another finish it.
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';

const number = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const config = loadConfig();
const app = await buildApp({
  config,
  fraudReports: {
    leaseMs: number('SCALE_LEASE_MS'),
    pollMs: number('SCALE_POLL_MS'),
    chunkSize: number('SCALE_CHUNK_SIZE'),
  },
});
process.once('SIGTERM', () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
await app.listen({ port: config.port, host: config.host });
