// The naive GROUP BY of one report, timed in a child process so the parent can stop it: better-sqlite3
// runs a statement synchronously and cannot be interrupted from its own thread, so a statement that
// outlives its budget is ended by killing this process (PostgreSQL also gets a statement_timeout, since
// a killed client does not stop the server's statement).
//
//   node --import tsx bench/reports/naive-child.ts '<json: url, schema?, query, warmup, samples, timeoutMs>'
//
// Prints a line of JSON after each run: the samples (and warm-ups) so far, in ms.
import { sql } from 'kysely';
import { groupClicks, type ClickGroupQuery } from '../../src/modules/clicks/click-groups.repository.ts';
import { openStorage } from '../../src/storage/open-database.ts';

export interface NaiveJob {
  url: string;
  schema?: string;
  query: ClickGroupQuery;
  warmup: number;
  samples: number;
  timeoutMs: number;
}

const job = JSON.parse(process.argv[2] ?? '') as NaiveJob;
const storage = openStorage(job.url, job.schema ? { schema: job.schema } : {});
const TIMED_OUT = '57014';
const once = async () => {
  if (storage.dialect.name !== 'postgres') return groupClicks(storage.db, job.query);
  try {
    return await storage.db.transaction().execute(async (trx) => {
      await sql`set local statement_timeout = ${sql.lit(job.timeoutMs)}`.execute(trx);
      return groupClicks(trx, job.query);
    });
  } catch (error) {
    // Over the budget: what was measured so far is printed; the parent reports "> budget" when nothing was.
    if ((error as { code?: string }).code === TIMED_OUT) process.exit(0);
    throw error;
  }
};
const samples: number[] = [];
// A warm-up's time is printed too: when no sample finishes within the budget, it is the one run measured.
const warmups: number[] = [];
for (let i = 0; i < job.warmup; i++) {
  const t0 = performance.now();
  await once();
  warmups.push(performance.now() - t0);
  console.log(JSON.stringify({ samples, warmups }));
}
for (let i = 0; i < job.samples; i++) {
  const t0 = performance.now();
  await once();
  samples.push(performance.now() - t0);
  // Partial results survive a kill of the next sample.
  console.log(JSON.stringify({ samples, warmups }));
}
await storage.close();
