// Clicks through a server process's real tracking URL from concurrent visitors, until the caller
// stops the stream or the server dies: what a crash test needs to know is which clicks reached a
// visitor as a redirect (302), since only those are promised to be stored.
import { Agent, request } from 'node:http';

export const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36';

export interface ClickStreamOptions {
  readonly baseUrl: string;
  readonly uuid: string;
  readonly workers: number;
  /** Request headers of click `i` of worker `w` (the server must trust 127.0.0.1 for x-forwarded-for). */
  readonly visitor?: (w: number, i: number) => Record<string, string>;
  /** Each redirected click id as it arrives (e.g. to convert it). */
  readonly onRedirect?: (clickId: string) => void;
}

export interface ClickStream {
  /** Click ids whose 302 reached the visitor, read from `cid` in the destination. */
  readonly redirected: string[];
  /** Answers other than a 302 (there should be none). */
  readonly unexpected: Array<{ status: number; body: string }>;
  /** Stops the workers after their current request; resolves when all have. */
  stop(): Promise<void>;
  /** Resolves when every worker has stopped (the server died or stop() was called). */
  readonly done: Promise<void>;
}

/**
 * node:http rather than fetch: fetch always sends `Sec-Fetch-Mode: cors`, which the detector rightly
 * reads as a script, not a click, so every click would be a bot.
 */
function get(
  url: string,
  headers: Record<string, string>,
  agent: Agent,
): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const defaultVisitor = (w: number, i: number) => ({
  'x-forwarded-for': `84.${w}.${(i >> 8) & 255}.${i & 255}`,
  'user-agent': BROWSER_UA,
});

export function startClickStream(options: ClickStreamOptions): ClickStream {
  const redirected: string[] = [];
  const unexpected: Array<{ status: number; body: string }> = [];
  const visitor = options.visitor ?? defaultVisitor;
  const agent = new Agent({ keepAlive: true });
  let running = true;
  const worker = async (w: number) => {
    for (let i = 0; running; i++) {
      try {
        const response = await get(`${options.baseUrl}/c/${options.uuid}?sub1=${w}-${i}`, visitor(w, i), agent);
        if (response.status === 302 && response.location) {
          const clickId = new URL(response.location).searchParams.get('cid')!;
          redirected.push(clickId);
          options.onRedirect?.(clickId);
        } else {
          unexpected.push({ status: response.status, body: response.body.slice(0, 200) });
        }
      } catch {
        // The connection died with the server: this visitor got no redirect, and the stream ends.
        running = false;
      }
    }
  };
  const done = Promise.all(Array.from({ length: options.workers }, (_, w) => worker(w))).then(() => agent.destroy());
  return {
    redirected,
    unexpected,
    done,
    stop: async () => {
      running = false;
      await done;
    },
  };
}
