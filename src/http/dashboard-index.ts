import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';

/** How often, at most, the file is looked at again for a rebuild. */
const RECHECK_MS = 1_000;

export interface DashboardIndex {
  /** The page now (undefined: not built), and a reload in the background when the last look is older than a second. */
  current(now: number): { html: Buffer; etag: string } | undefined;
}

/**
 * The dashboard's index.html, held in memory. Reading it per request cost four trips through the
 * thread pool (open, stat, read, close); under full tracker load each trip waits a whole turn of
 * the event loop behind every click in flight, which made `/` the slowest page (bench:load). A
 * rebuild is still picked up without a restart: at most once a second a stat, off the request path,
 * reloads the file when its modification time changed; the request that triggers it gets the page
 * already held.
 */
export function openDashboardIndex(path: string): DashboardIndex {
  let page: { html: Buffer; etag: string; mtimeMs: number } | undefined;
  let checkedAt = 0;
  let checking = false;

  const keep = (html: Buffer, mtimeMs: number) => {
    page = { html, mtimeMs, etag: `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"` };
  };

  try {
    keep(readFileSync(path), statSync(path).mtimeMs);
  } catch {
    page = undefined;
  }

  const recheck = async () => {
    try {
      const { mtimeMs } = await stat(path);
      if (page?.mtimeMs !== mtimeMs) keep(await readFile(path), mtimeMs);
    } catch {
      page = undefined;
    }
  };

  return {
    current(now) {
      if (now - checkedAt >= RECHECK_MS && !checking) {
        checkedAt = now;
        checking = true;
        void recheck().finally(() => (checking = false));
      }
      return page;
    },
  };
}
