import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/server-process.ts';
import { createPostgresDatabase } from '../helpers/dialects.ts';

const NODE_MAIN = fileURLToPath(new URL('./scale-node.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/cloakradar.js', import.meta.url));

export interface Node {
  readonly name: string;
  readonly child: ChildProcess;
  readonly baseUrl: string;
  output(): string;
  /** SIGKILL: no shutdown hook runs, as in a crash. */
  crash(): Promise<void>;
  stop(): Promise<number | null>;
}

/**
 * Starts a node as a real process and waits until /readyz answers. `serve` runs bin/cloakradar.js
 * (WORKERS and all); otherwise test/scale/scale-node.ts (the app with a tunable report runner).
 */
export async function startNode(
  name: string,
  env: Record<string, string>,
  options: { serve?: boolean } = {},
): Promise<Node> {
  const port = await freePort();
  const args = options.serve ? [BIN, 'serve'] : ['--import', 'tsx', NODE_MAIN];
  const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-scale-'));
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      TRUST_PROXY: 'true',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      rmSync(dataDir, { recursive: true, force: true });
      resolve(code);
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`node ${name} exited at start:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`node ${name} not ready in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    name,
    child,
    baseUrl,
    output: () => output,
    crash: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export async function api<T = { data: Record<string, unknown> }>(
  node: Node,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const response = await fetch(`${node.baseUrl}/api${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as T };
}

export const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** One click through a node's tracking URL; returns the redirect's location. */
export async function click(node: Node, uuid: string, ip: string, userAgent = BROWSER): Promise<string> {
  const response = await fetch(`${node.baseUrl}/c/${uuid}`, {
    redirect: 'manual',
    headers: {
      'x-forwarded-for': ip,
      'user-agent': userAgent,
      accept: 'text/html,application/xhtml+xml',
      'accept-language': 'en-US,en;q=0.9',
    },
  });
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) throw new Error(`tracking answered ${response.status} on ${node.name}`);
  return location;
}

export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A database of its own for one test file (the server processes take a DATABASE_URL, not a schema). */
export const freshDatabase = () => createPostgresDatabase('scale');
