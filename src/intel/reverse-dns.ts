// Forward-confirmed reverse DNS, the check Google and Bing document for their crawlers: the
// address's PTR name must end in the company's domain and resolve back to the same address (a PTR
// record alone is whatever the address's owner wrote). Answers are cached, good and bad, so a
// crawler's fleet costs one lookup per address and a flood of impostors cannot become a flood of
// queries; the click path reads only the cache and never waits for DNS.
import { promises as dns } from 'node:dns';
import type { ReverseDnsAnswer } from '../detection/types.ts';
import { normalizeIp, parseIp } from './ip-address.ts';

export interface ReverseDnsOptions {
  /** `ip` or `ip:port` (`[v6]:port`); empty: the system's resolvers (/etc/resolv.conf). */
  readonly servers: readonly string[];
  /** The whole check (PTR, then A/AAAA of each name) must finish within this time. */
  readonly timeoutMs: number;
  /** Only PTR names under these domains are looked up forward: no other name can vouch for a crawler. */
  readonly domains: readonly string[];
  /** How long an answer is kept: names confirmed or not (`answerTtlMs`), a failed lookup (`errorTtlMs`). */
  readonly answerTtlMs?: number;
  readonly errorTtlMs?: number;
  /** Addresses kept in the cache; the oldest go first. */
  readonly maxEntries?: number;
  /** Lookups under way at once; past it a lookup answers "busy" at once (uncached). */
  readonly maxPending?: number;
  readonly now?: () => number;
}

export interface ReverseDnsVerifier {
  /** The cached answer for the address, if it is still fresh; never starts a lookup. */
  cached(ip: string): ReverseDnsAnswer | undefined;
  /** Looks the address up (once, however many ask at the same time) and caches the answer; never rejects. */
  lookup(ip: string): Promise<ReverseDnsAnswer>;
  /** Cancels the lookups under way (they answer "cancelled"). */
  close(): void;
}

export const DEFAULT_ANSWER_TTL_MS = 6 * 3_600_000;
export const DEFAULT_ERROR_TTL_MS = 60_000;
/** A PTR record may list several names; a crawler's has one, and more would only multiply queries. */
const MAX_NAMES = 4;

class Deadline extends Error {}

const failed = (error: string): ReverseDnsAnswer => Object.freeze({ names: [], confirmed: [], error });

/** The resolver's error code, or "timeout"; NXDOMAIN / NODATA are answers (no such name), not failures. */
function errorCode(error: unknown): string {
  if (error instanceof Deadline) return 'timeout';
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : 'error';
}

const isNoAnswer = (error: unknown) => ['ENOTFOUND', 'ENODATA'].includes((error as NodeJS.ErrnoException).code ?? '');

export function createReverseDnsVerifier(options: ReverseDnsOptions): ReverseDnsVerifier {
  const now = options.now ?? Date.now;
  const answerTtl = options.answerTtlMs ?? DEFAULT_ANSWER_TTL_MS;
  const errorTtl = options.errorTtlMs ?? DEFAULT_ERROR_TTL_MS;
  const maxEntries = options.maxEntries ?? 50_000;
  const maxPending = options.maxPending ?? 256;
  const domains = options.domains.map((domain) => domain.toLowerCase());
  // c-ares gives up on a query after `timeout` per try; one try, since the whole check has its deadline.
  const resolver = new dns.Resolver({ timeout: options.timeoutMs, tries: 1 });
  if (options.servers.length > 0) resolver.setServers([...options.servers]);
  const cache = new Map<string, { answer: ReverseDnsAnswer; expires: number }>();
  const pending = new Map<string, Promise<ReverseDnsAnswer>>();

  const worthConfirming = (name: string) => domains.some((domain) => name.endsWith(`.${domain}`));

  const forwardHolds = async (name: string, family: 4 | 6, canonical: string): Promise<boolean> => {
    try {
      const addresses = family === 4 ? await resolver.resolve4(name) : await resolver.resolve6(name);
      return addresses.some((address) => normalizeIp(address) === canonical);
    } catch (error) {
      if (isNoAnswer(error)) return false;
      throw error;
    }
  };

  const check = async (canonical: string, family: 4 | 6): Promise<ReverseDnsAnswer> => {
    let names: string[];
    try {
      names = await resolver.reverse(canonical);
    } catch (error) {
      if (!isNoAnswer(error)) throw error;
      names = [];
    }
    const clean = [...new Set(names.map((name) => name.toLowerCase().replace(/\.$/, '')))].slice(0, MAX_NAMES);
    const confirmed: string[] = [];
    for (const name of clean)
      if (worthConfirming(name) && (await forwardHolds(name, family, canonical))) confirmed.push(name);
    return Object.freeze({ names: Object.freeze(clean), confirmed: Object.freeze(confirmed), error: null });
  };

  const remember = (key: string, answer: ReverseDnsAnswer) => {
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(key, { answer, expires: now() + (answer.error === null ? answerTtl : errorTtl) });
  };

  const run = async (key: string, family: 4 | 6): Promise<ReverseDnsAnswer> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Deadline()), options.timeoutMs);
      timer.unref();
    });
    let answer: ReverseDnsAnswer;
    try {
      answer = await Promise.race([check(key, family), deadline]);
    } catch (error) {
      answer = failed(errorCode(error));
    } finally {
      clearTimeout(timer);
    }
    if (answer.error !== 'ECANCELLED') remember(key, answer);
    return answer;
  };

  const cached = (ip: string): ReverseDnsAnswer | undefined => {
    const key = normalizeIp(ip);
    const hit = key === undefined ? undefined : cache.get(key);
    if (key === undefined || hit === undefined) return undefined;
    if (hit.expires > now()) return hit.answer;
    cache.delete(key);
    return undefined;
  };

  return {
    cached,
    lookup(ip) {
      const parsed = parseIp(ip);
      const key = normalizeIp(ip);
      if (parsed === undefined || key === undefined) return Promise.resolve(failed('not an address'));
      const fresh = cached(key);
      if (fresh) return Promise.resolve(fresh);
      const running = pending.get(key);
      if (running) return running;
      if (pending.size >= maxPending) return Promise.resolve(failed('busy'));
      const started = run(key, parsed.family).finally(() => pending.delete(key));
      pending.set(key, started);
      return started;
    },
    close() {
      resolver.cancel();
    },
  };
}
