// What the IP lists kept by `cloakradar intel update` say of an address, answered from in-memory
// range tables (one binary search per kind) and reloaded without a restart when an update swaps
// in a new manifest.
import { closeSync, fstatSync, openSync, readFileSync, statSync, type Stats } from 'node:fs';
import { UNKNOWN_REPUTATION, type IpReputation, type ListMatch } from '../../detection/types.ts';
import { ipv4FromMapped, parseIpv4ToUint32, parseIpv6ToBigInt } from '../ip-address.ts';
import { parseListBody, storedFormat, type ListEntry, type ListKind } from './entries.ts';
import { ICLOUD_RELAY_SNAPSHOT } from './shipped/icloud-private-relay.ts';
import { SHIPPED_CRAWLER_DATE, SHIPPED_CRAWLER_LISTS } from './shipped/crawler-ranges.ts';
import { buildRangeTable, type RangeItem, type RangeTable } from './range-table.ts';
import { listPath, manifestPath, ManifestError, parseManifest, sha256, type ManifestList } from './storage.ts';

export type CrawlerMatch = ListMatch & { readonly company: string };
export type RelayMatch = ListMatch & { readonly country: string | null };

export interface IpListStatus {
  readonly id: string;
  readonly kind: ListKind;
  readonly company: string | null;
  readonly url: string;
  readonly entries: number;
  /** Last successful download (ISO). */
  readonly fetched_at: string;
  /** When the content last changed (ISO). */
  readonly changed_at: string;
  /** Seconds since `fetched_at`. */
  readonly age_seconds: number;
}

export type ReloadEvent =
  | { readonly type: 'loaded'; readonly generation: number; readonly lists: readonly IpListStatus[] }
  | { readonly type: 'failed'; readonly error: string };

export interface IpReputationStore {
  /**
   * Never throws. Per kind: the matching list and entry, `false` when lists of that kind are loaded
   * and none holds the address, `null` when no list of that kind is loaded (also for text that is
   * not an IP address). IPv4-mapped IPv6 is looked up as the IPv4 address.
   */
  lookup(ip: string): IpReputation;
  /** The lists in use, for /readyz and the dashboard. */
  status(): IpListStatus[];
  /**
   * Swaps in the lists of a changed manifest; returns whether it did. A manifest that is broken or
   * names a file whose sha256 does not match keeps the tables in use (see `lastError`). Synchronous:
   * reading and indexing ~15,000 entries takes a few milliseconds.
   */
  reload(): boolean;
  /** Calls `reload` every `intervalMs` (unref'd, so it never holds the process open). Replaces an earlier watch. */
  watch(intervalMs: number): void;
  /** Stops watching. */
  close(): void;
  /** Bumped at every swap; a cache of lookups keyed on it never serves answers from replaced lists. */
  readonly generation: number;
  /** Why the last load failed while its manifest is still the current one; null after a good load. */
  readonly lastError: string | null;
}

export interface OpenIpReputationOptions {
  /** The application data directory; lists are read from `<dataDir>/intel/`. */
  readonly dataDir: string;
  /** Starts `watch` with this interval; 0 or absent: no watching (call `reload` yourself). */
  readonly watchIntervalMs?: number;
  /** Told of every swap and of every failed load (once per manifest version), e.g. to log it. */
  readonly onReload?: (event: ReloadEvent) => void;
  /** Clock for `age_seconds`, in epoch milliseconds. */
  readonly now?: () => number;
}

interface Snapshot {
  /** Of the manifest file the tables were read from ('missing' when there is none). */
  readonly signature: string;
  readonly manifestSha: string | null;
  readonly lists: readonly ManifestList[];
  readonly tor: RangeTable<ListMatch> | null;
  readonly vpn: RangeTable<ListMatch> | null;
  /** Downloaded crawler lists plus the shipped ones no download replaced: never null. */
  readonly crawler: RangeTable<CrawlerMatch>;
  /** Whose crawler ranges `crawler` holds (IpReputation.crawlerCompanies). */
  readonly crawlerCompanies: readonly string[];
  /** From a downloaded relay list, else the shipped snapshot: never null. */
  readonly relay: RangeTable<RelayMatch>;
  /** The answer for an address on none of the lists. */
  readonly none: IpReputation;
}

const MISSING = 'missing';
const LOW_64 = (1n << 64n) - 1n;

const signatureOf = (stats: Stats): string => `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}`;

function relayItem(list: string, entry: ListEntry): RangeItem<RelayMatch> {
  return { entry, match: Object.freeze({ list, entry: entry.text, country: entry.country ?? null }) };
}

let shippedRelay: RangeTable<RelayMatch> | undefined;

function crawlerItem(list: string, company: string, entry: ListEntry): RangeItem<CrawlerMatch> {
  return { entry, match: Object.freeze({ list, entry: entry.text, company }) };
}

/**
 * The shipped crawler lists (shipped/crawler-ranges.ts) whose id no downloaded list has: a download
 * replaces its own snapshot, so a range the publisher has since withdrawn stops vouching.
 */
function shippedCrawlerItems(downloaded: ReadonlySet<string>): {
  items: RangeItem<CrawlerMatch>[];
  companies: string[];
} {
  const items: RangeItem<CrawlerMatch>[] = [];
  const companies: string[] = [];
  for (const shipped of SHIPPED_CRAWLER_LISTS) {
    if (downloaded.has(shipped.id)) continue;
    const parsed = parseListBody('cidr-lines', shipped.prefixes.trim().split(/\s+/).join('\n'));
    const list = `${shipped.id} (shipped ${SHIPPED_CRAWLER_DATE})`;
    for (const entry of parsed.entries) items.push(crawlerItem(list, shipped.company, entry));
    companies.push(shipped.company);
  }
  return { items, companies };
}

let shippedCrawlers: { table: RangeTable<CrawlerMatch>; companies: readonly string[] } | undefined;

/** The crawler snapshot alone, for as long as no crawler list has been downloaded. */
function shippedCrawlerTable(): { table: RangeTable<CrawlerMatch>; companies: readonly string[] } {
  if (shippedCrawlers === undefined) {
    const { items, companies } = shippedCrawlerItems(new Set());
    shippedCrawlers = { table: buildRangeTable(items), companies: Object.freeze([...new Set(companies)]) };
  }
  return shippedCrawlers;
}

/** The relay snapshot shipped in the package, for as long as no relay list has been downloaded. */
function shippedRelayTable(): RangeTable<RelayMatch> {
  if (shippedRelay === undefined) {
    const parsed = parseListBody('geofeed-csv', ICLOUD_RELAY_SNAPSHOT.csv);
    const list = `${ICLOUD_RELAY_SNAPSHOT.id} (shipped ${ICLOUD_RELAY_SNAPSHOT.date})`;
    shippedRelay = buildRangeTable(parsed.entries.map((entry) => relayItem(list, entry)));
  }
  return shippedRelay;
}

function emptySnapshot(signature: string): Snapshot {
  const crawlers = shippedCrawlerTable();
  return {
    signature,
    manifestSha: null,
    lists: [],
    tor: null,
    vpn: null,
    crawler: crawlers.table,
    crawlerCompanies: crawlers.companies,
    relay: shippedRelayTable(),
    // Only the shipped snapshots are known: Tor and VPN are unknown, not "not listed".
    none: Object.freeze({ ...UNKNOWN_REPUTATION, crawler: false, relay: false, crawlerCompanies: crawlers.companies }),
  };
}

function currentSignature(dataDir: string): string {
  try {
    return signatureOf(statSync(manifestPath(dataDir)));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? MISSING : `error:${code ?? 'unknown'}`;
  }
}

/** The manifest text with the signature of that very file (fstat on the open descriptor, not a later stat). */
function readManifestFile(dataDir: string): { signature: string; text: string } | null {
  let fd: number;
  try {
    fd = openSync(manifestPath(dataDir), 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ManifestError(`cannot read the manifest: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return { signature: signatureOf(fstatSync(fd)), text: readFileSync(fd, 'utf8') };
  } finally {
    closeSync(fd);
  }
}

/** A list file that does not match the manifest: mid-swap (retried) or damaged. */
class ListFileError extends Error {}

function buildSnapshot(
  dataDir: string,
  signature: string,
  manifestSha: string,
  lists: readonly ManifestList[],
): Snapshot {
  const items: {
    tor: RangeItem<ListMatch>[];
    vpn: RangeItem<ListMatch>[];
    crawler: RangeItem<CrawlerMatch>[];
    relay: RangeItem<RelayMatch>[];
  } = { tor: [], vpn: [], crawler: [], relay: [] };
  for (const list of lists) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(listPath(dataDir, list.id));
    } catch (error) {
      throw new ListFileError(
        `cannot read the list "${list.id}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
    if (sha256(bytes) !== list.sha256)
      throw new ListFileError(`the list file of "${list.id}" does not match the manifest's sha256`);
    const parsed = parseListBody(storedFormat(list.format), bytes.toString('utf8'));
    if (parsed.bad > 0 || parsed.error !== null)
      throw new ListFileError(`the list file of "${list.id}" has unreadable lines`);
    for (const entry of parsed.entries) {
      if (list.kind === 'relay') {
        items.relay.push(relayItem(list.id, entry));
      } else if (list.kind === 'crawler') {
        items.crawler.push(crawlerItem(list.id, list.company ?? '', entry));
      } else {
        items[list.kind].push({ entry, match: Object.freeze({ list: list.id, entry: entry.text }) });
      }
    }
  }
  const has = (kind: ListKind) => lists.some((list) => list.kind === kind);
  const tor = has('tor') ? buildRangeTable(items.tor) : null;
  const vpn = has('vpn') ? buildRangeTable(items.vpn) : null;
  const crawlerLists = lists.filter((list) => list.kind === 'crawler');
  const shipped = shippedCrawlerItems(new Set(crawlerLists.map((list) => list.id)));
  // Downloaded entries first: where a download and a snapshot hold the same range, the download is named.
  const crawler = buildRangeTable([...items.crawler, ...shipped.items]);
  const crawlerCompanies = Object.freeze([
    ...new Set([...crawlerLists.map((list) => list.company ?? ''), ...shipped.companies]),
  ]);
  const relay = has('relay') ? buildRangeTable(items.relay) : shippedRelayTable();
  const none: IpReputation = Object.freeze({
    tor: tor && false,
    vpn: vpn && false,
    crawler: false,
    relay: false,
    crawlerCompanies,
  });
  return { signature, manifestSha, lists, tor, vpn, crawler, crawlerCompanies, relay, none };
}

/**
 * Reads the manifest and its lists. An update renames the list files first and the manifest last,
 * so a reader between the two sees a new file under the old manifest: it reads the manifest again.
 * A manifest identical to the one in use keeps the current tables.
 */
function loadSnapshot(dataDir: string, current: Snapshot): Snapshot {
  for (let attempt = 1; ; attempt++) {
    const file = readManifestFile(dataDir);
    if (file === null) return emptySnapshot(MISSING);
    const manifestSha = sha256(file.text);
    if (manifestSha === current.manifestSha) return { ...current, signature: file.signature };
    const manifest = parseManifest(file.text);
    try {
      return buildSnapshot(dataDir, file.signature, manifestSha, manifest.lists);
    } catch (error) {
      if (!(error instanceof ListFileError) || attempt >= 3) throw error;
    }
  }
}

export function openIpReputation(options: OpenIpReputationOptions): IpReputationStore {
  const { dataDir, onReload } = options;
  const now = options.now ?? Date.now;
  let snapshot = emptySnapshot('');
  let generation = 0;
  let lastError: string | null = null;
  let failedSignature: string | null = null;
  let timer: NodeJS.Timeout | undefined;

  const status = (): IpListStatus[] => {
    const at = now();
    return snapshot.lists.map((list) => ({
      id: list.id,
      kind: list.kind,
      company: list.company,
      url: list.url,
      entries: list.entries,
      fetched_at: list.fetched_at,
      changed_at: list.changed_at,
      age_seconds: Math.max(0, Math.floor((at - Date.parse(list.fetched_at)) / 1000)),
    }));
  };

  const reload = (): boolean => {
    const signature = currentSignature(dataDir);
    if (signature === snapshot.signature || signature === failedSignature) return false;
    let next: Snapshot;
    try {
      next = loadSnapshot(dataDir, snapshot);
    } catch (error) {
      // Keep answering from the tables in use; try again once the manifest changes.
      failedSignature = signature;
      lastError = error instanceof Error ? error.message : String(error);
      onReload?.({ type: 'failed', error: lastError });
      return false;
    }
    failedSignature = null;
    lastError = null;
    const swapped = next.manifestSha !== snapshot.manifestSha;
    snapshot = next;
    if (swapped) {
      generation++;
      onReload?.({ type: 'loaded', generation, lists: status() });
    }
    return swapped;
  };

  const lookupV4 = (s: Snapshot, key: number): IpReputation => {
    const tor = s.tor && (s.tor.findV4(key) ?? false);
    const vpn = s.vpn && (s.vpn.findV4(key) ?? false);
    const crawler = s.crawler.findV4(key) ?? false;
    const relay = s.relay.findV4(key) ?? false;
    return tor || vpn || crawler || relay ? { tor, vpn, crawler, relay, crawlerCompanies: s.crawlerCompanies } : s.none;
  };

  const store: IpReputationStore = {
    lookup(ip) {
      const s = snapshot;
      if (typeof ip !== 'string') return UNKNOWN_REPUTATION;
      const v4 = parseIpv4ToUint32(ip);
      if (v4 !== undefined) return lookupV4(s, v4);
      const v6 = parseIpv6ToBigInt(ip);
      if (v6 === undefined) return UNKNOWN_REPUTATION;
      const mapped = ipv4FromMapped(v6);
      if (mapped !== undefined) return lookupV4(s, mapped);
      const hi = v6 >> 64n;
      const lo = v6 & LOW_64;
      const tor = s.tor && (s.tor.findV6(hi, lo) ?? false);
      const vpn = s.vpn && (s.vpn.findV6(hi, lo) ?? false);
      const crawler = s.crawler.findV6(hi, lo) ?? false;
      const relay = s.relay.findV6(hi, lo) ?? false;
      return tor || vpn || crawler || relay
        ? { tor, vpn, crawler, relay, crawlerCompanies: s.crawlerCompanies }
        : s.none;
    },
    status,
    reload,
    watch(intervalMs) {
      if (timer !== undefined) clearInterval(timer);
      timer = setInterval(() => {
        try {
          reload();
        } catch {
          // Only a throwing onReload gets here; the tables in use stay, and a timer must not crash the server.
        }
      }, intervalMs);
      timer.unref();
    },
    close() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
    get generation() {
      return generation;
    },
    get lastError() {
      return lastError;
    },
  };

  reload();
  if (options.watchIntervalMs !== undefined && options.watchIntervalMs > 0) store.watch(options.watchIntervalMs);
  return store;
}
