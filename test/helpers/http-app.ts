import { after, before, describe, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'node:http';
import { createTestApp, type ExtraAppOptions, type TestApp } from './test-app.ts';
import { DIALECTS, POSTGRES_SKIP_REASON } from './dialects.ts';

export interface HttpTestApp extends TestApp {
  /** http://127.0.0.1:<port> of a real listening server. */
  readonly baseUrl: string;
  /** A real HTTP GET (or HEAD) that does not follow redirects. */
  visit(path: string, headers?: Record<string, string>, method?: 'GET' | 'HEAD'): Promise<Response>;
  /** A campaign of a fresh account: its uuid, id and the account's token. */
  createCampaign(
    fields?: Record<string, unknown>,
    token?: string,
  ): Promise<{ id: number; uuid: string; token: string }>;
}

export const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A browser's navigation over plain http: Sec-Fetch-* and client hints go to secure origins only. */
export const BROWSER_HEADERS = {
  'user-agent': CHROME_UA,
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
  'accept-language': 'en-US,en;q=0.9',
  'accept-encoding': 'gzip, deflate, br',
};

/**
 * A plain HTTP request, as a browser's would arrive. Not fetch(): it adds `Sec-Fetch-Mode: cors`
 * to every request and forbids setting Sec-* headers, which is exactly what detection looks at.
 */
function rawRequest(url: string, method: string, headers: Record<string, string>): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers))
          if (typeof value === 'string') responseHeaders.set(name, value);
        const body = method === 'HEAD' ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status: res.statusCode ?? 0, headers: responseHeaders }));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const agent = new Agent({ keepAlive: true });

export async function startHttpApp(
  dialect: (typeof DIALECTS)[number],
  env: Record<string, string> = {},
  extra: ExtraAppOptions = {},
): Promise<HttpTestApp> {
  const t = await createTestApp(dialect, env, extra);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  return {
    ...t,
    baseUrl,
    visit: (path, headers = {}, method = 'GET') =>
      rawRequest(`${baseUrl}${path}`, method, { ...BROWSER_HEADERS, ...headers }),
    async createCampaign(fields = {}, token?: string) {
      const owner = token ?? (await t.signUp()).token;
      const response = await t.request({
        method: 'POST',
        url: '/api/v1/campaigns',
        token: owner,
        payload: { name: 'Tracked', destination_url: 'https://shop.example/land?cid={clickid}', ...fields },
      });
      if (response.statusCode !== 201) throw new Error(response.body);
      const { id, uuid } = response.json().data;
      return { id, uuid, token: owner };
    },
  };
}

/** Like forEachDialect, with a real listening server. */
export function forEachDialectOverHttp(
  name: string,
  suite: (ctx: () => HttpTestApp) => void,
  env: Record<string, string> = {},
  extra: ExtraAppOptions = {},
): void {
  for (const dialect of DIALECTS) {
    void describe(`${name} [${dialect.name}]`, () => {
      let current: HttpTestApp | undefined;
      before(async () => {
        current = await startHttpApp(dialect, env, extra);
      });
      after(async () => {
        await current?.app.close();
        await current?.storage.dispose();
      });
      suite(() => current!);
    });
  }
  if (POSTGRES_SKIP_REASON) void test(`${name} [postgres]`, { skip: POSTGRES_SKIP_REASON }, () => undefined);
}
