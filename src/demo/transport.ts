/**
 * How the simulator's requests reach a CloakRadar: over real HTTP (the demo) or through Fastify's
 * inject (the benchmark: the same routes and pipeline, without sockets). Node's http module is used
 * rather than fetch, which would add Accept-Language, Sec-Fetch-Mode and a "node" user agent of its
 * own to requests that, like the simulated scripts', lack them.
 */
import { Agent, request as httpRequest } from 'node:http';
import type { FastifyInstance } from 'fastify';

export interface TransportResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface Transport {
  request(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<TransportResponse>;
  close(): Promise<void>;
}

export function httpTransport(baseUrl: string, maxSockets = 16): Transport {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    request: (method, path, headers, body) =>
      new Promise((resolve, reject) => {
        const outgoing = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            method,
            path,
            agent,
            headers: { ...headers, ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }) },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                body: Buffer.concat(chunks).toString('utf8'),
              }),
            );
            response.on('error', reject);
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      }),
    close: async () => agent.destroy(),
  };
}

export function injectTransport(app: FastifyInstance): Transport {
  return {
    async request(method, path, headers, body) {
      // light-my-request adds "user-agent: lightMyRequest" unless the header is given as undefined.
      const all = { 'user-agent': undefined, ...headers } as unknown as Record<string, string>;
      const response = await app.inject({
        method,
        url: path,
        headers: all,
        ...(body === undefined ? {} : { payload: body }),
      });
      return {
        status: response.statusCode,
        headers: response.headers as TransportResponse['headers'],
        body: response.body,
      };
    },
    close: async () => undefined,
  };
}

/** A JSON API call; the parsed body, whatever the status. */
export async function callApi<T = Record<string, unknown>>(
  transport: Transport,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; json: T }> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'cloakradar-demo' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await transport.request(
    method,
    path,
    headers,
    options.body === undefined ? undefined : JSON.stringify(options.body),
  );
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    json = {};
  }
  return { status: response.status, json: json as T };
}
