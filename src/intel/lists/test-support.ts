// Shared by the IP list tests: a local HTTP server that answers with the fixture lists (the tests
// never touch the network) and an INTEL_SOURCES file pointing at it.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/intel/', import.meta.url));

/** What the server answers on one path: a fixture file, a literal body, a status, or nothing at all. */
export interface Route {
  readonly file?: string;
  readonly body?: string;
  readonly status?: number;
  /** Never answer (for timeouts). */
  readonly hang?: boolean;
  /** Send this many bytes of filler without a Content-Length (for the size cap on a stream). */
  readonly stream?: number;
}

export interface FixtureServer {
  /** Replace or add routes while the server runs. */
  readonly routes: Map<string, Route>;
  readonly hits: Map<string, number>;
  url(path: string): string;
  close(): Promise<void>;
}

/** The usual fixture routes, one per default-like source. */
export const FIXTURE_ROUTES: Readonly<Record<string, Route>> = {
  '/torbulkexitlist': { file: 'tor-exit.txt' },
  '/vpn/ipv4.txt': { file: 'vpn.txt' },
  '/googlebot.json': { file: 'googlebot.json' },
  '/special-crawlers.json': { file: 'special-crawlers.json' },
  '/bingbot.json': { file: 'bingbot.json' },
};

function answer(response: ServerResponse, route: Route | undefined): void {
  if (route === undefined) {
    response.writeHead(404).end('not found');
    return;
  }
  if (route.hang) return;
  if (route.stream !== undefined) {
    response.writeHead(200, { 'content-type': 'text/plain' });
    const line = Buffer.from('10.0.0.1\n'.repeat(1024));
    let sent = 0;
    const pump = () => {
      while (sent < route.stream!) {
        sent += line.length;
        if (!response.write(line)) return void response.once('drain', pump);
      }
      response.end();
    };
    pump();
    return;
  }
  const body = route.file !== undefined ? readFileSync(join(FIXTURES, route.file)) : Buffer.from(route.body ?? '');
  response.writeHead(route.status ?? 200, { 'content-type': 'text/plain', 'content-length': body.length }).end(body);
}

export async function startFixtureServer(
  routes: Readonly<Record<string, Route>> = FIXTURE_ROUTES,
): Promise<FixtureServer> {
  const table = new Map(Object.entries(routes));
  const hits = new Map<string, number>();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    answer(response, table.get(path));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    routes: table,
    hits,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface FixtureSource {
  id: string;
  kind: 'tor' | 'vpn' | 'crawler';
  company?: string;
  url: string;
  format: 'lines' | 'cidr-lines' | 'google-json';
  minEntries: number;
  timeoutMs?: number;
  maxBytes?: number;
}

/** Sources as an operator's INTEL_SOURCES file would list them, pointing at the fixture server. */
export function fixtureSources(server: FixtureServer): FixtureSource[] {
  return [
    {
      id: 'tor-exit',
      kind: 'tor',
      url: server.url('/torbulkexitlist'),
      format: 'lines',
      minEntries: 5,
      timeoutMs: 5000,
    },
    {
      id: 'x4bnet-vpn',
      kind: 'vpn',
      url: server.url('/vpn/ipv4.txt'),
      format: 'cidr-lines',
      minEntries: 5,
      timeoutMs: 5000,
    },
    {
      id: 'googlebot',
      kind: 'crawler',
      company: 'google',
      url: server.url('/googlebot.json'),
      format: 'google-json',
      minEntries: 3,
      timeoutMs: 5000,
    },
    {
      id: 'google-special-crawlers',
      kind: 'crawler',
      company: 'google',
      url: server.url('/special-crawlers.json'),
      format: 'google-json',
      minEntries: 3,
      timeoutMs: 5000,
    },
    {
      id: 'bingbot',
      kind: 'crawler',
      company: 'microsoft',
      url: server.url('/bingbot.json'),
      format: 'google-json',
      minEntries: 3,
      timeoutMs: 5000,
    },
  ];
}

export function tempDir(prefix = 'cloakradar-intel-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes an INTEL_SOURCES file and returns its path. */
export function writeSourcesFile(dir: string, sources: readonly FixtureSource[]): string {
  const path = join(dir, 'intel-sources.json');
  writeFileSync(path, JSON.stringify(sources, null, 2));
  return path;
}
