// Memory of a streamed list export: GET /api/v1/clicks?format=csv of N clicks over a real socket, the
// server's heap sampled every 50 ms, at two sizes, so "flat in the number of rows" is a figure.
//
//   node --expose-gc --max-old-space-size=256 --import tsx bench/exports/csv-memory.ts [--sizes 50000,250000] [--dialects sqlite,postgres]
//
// (A small heap limit makes "flat" a pass or a crash: a leak per row would run out long before the end.)
//
// PostgreSQL needs CLOAKRADAR_TEST_PG (each run gets a schema of its own, dropped after). Prints one line
// per size and dialect; writes nothing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { buildApp } from '../../src/app.ts';
import { bulkClickRow, writeClicks } from '../../test/helpers/bulk-clicks.ts';
import { DIALECTS, openTestStorage } from '../../test/helpers/dialects.ts';
import { testConfig, testIntel } from '../../test/helpers/test-app.ts';

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: '50000,250000' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
  },
});
const sizes = flags.sizes.split(',').map(Number);
const wanted = new Set(flags.dialects.split(','));
const MiB = 2 ** 20;
const gc = (globalThis as { gc?: () => void }).gc;

for (const dialect of DIALECTS.filter((d) => wanted.has(d.name)))
  for (const size of sizes) {
    const storage = openTestStorage(dialect);
    const app = await buildApp({
      config: testConfig(),
      storage,
      logger: false,
      intel: await testIntel(),
      retention: { intervalMs: 0 },
    });
    try {
      await app.ready();
      const register = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email: `bench-${Date.now()}@example.com`, password: 'correct horse battery' },
      });
      const token = register.json<{ token: string }>().token;
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/campaigns',
        headers: { authorization: `Bearer ${token}` },
        payload: { name: 'Export', destination_url: 'https://shop.example/?cid={clickid}' },
      });
      const campaignId = created.json<{ data: { id: number } }>().data.id;
      const { user_id: userId } = await storage.db
        .selectFrom('campaigns')
        .select('user_id')
        .where('id', '=', campaignId)
        .executeTakeFirstOrThrow();
      const start = Date.now() - 20 * 86_400_000;
      // Written 20,000 at a time, so the bench itself never holds the clicks it exports.
      const CHUNK = 20_000;
      for (let first = 0; first < size; first += CHUNK) {
        const rows = Array.from({ length: Math.min(CHUNK, size - first) }, (_, k) => {
          const i = first + k;
          return bulkClickRow(Number(userId), campaignId, {
            at: start + Math.floor((i * 20 * 86_400_000) / size),
            fields: { sub1: `adset_${i % 40}`, sub2: `creative_${i % 300}`, placement: `zone-${i % 1000}` },
          });
        });
        await writeClicks(storage, rows, 10_000, { fold: first + CHUNK >= size });
      }
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      gc?.();
      const before = process.memoryUsage().heapUsed;
      let peak = before;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 50);
      const t0 = performance.now();
      const { bytes, records } = await new Promise<{ bytes: number; records: number }>((done, fail) => {
        http
          .get(
            {
              host: '127.0.0.1',
              port,
              path: '/api/v1/clicks?format=csv',
              headers: { authorization: `Bearer ${token}` },
            },
            (response) => {
              if (response.statusCode !== 200) fail(new Error(`export answered ${response.statusCode}`));
              let bytes = 0;
              let records = 0;
              response.on('data', (chunk: Buffer) => {
                bytes += chunk.length;
                for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) records++;
              });
              response.on('end', () => done({ bytes, records }));
              response.on('error', fail);
            },
          )
          .on('error', fail);
      });
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(timer);
      console.log(
        `${dialect.name} ${size.toLocaleString('en-US')} clicks: ${(records - 1).toLocaleString('en-US')} rows, ` +
          `${(bytes / MiB).toFixed(1)} MiB in ${seconds.toFixed(1)} s (${Math.round((records - 1) / seconds).toLocaleString('en-US')} rows/s); ` +
          `heap ${(before / MiB).toFixed(0)} → peak ${(peak / MiB).toFixed(0)} MiB (+${((peak - before) / MiB).toFixed(0)})`,
      );
    } finally {
      await app.close();
      await storage.dispose();
    }
  }
