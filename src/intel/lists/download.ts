// Downloads one list: http(s) through the global fetch, file: from disk. The status, the size and
// the time are all bounded, because a list source is someone else's server.
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export class DownloadError extends Error {}

export interface DownloadOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

const USER_AGENT = 'cloakradar-intel-update/1';

const megabytes = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB` : `${bytes} bytes`;

function tooLarge(maxBytes: number): DownloadError {
  return new DownloadError(`larger than the ${megabytes(maxBytes)} limit`);
}

/** The reason a fetch failed, in one line ("connection refused", "timed out after 60 s"). */
function describeFetchFailure(error: unknown): DownloadError {
  if (error instanceof DownloadError) return error;
  // fetch says only "fetch failed"; the cause has the useful part ("connect ECONNREFUSED 127.0.0.1:80",
  // "getaddrinfo ENOTFOUND example.com", "other side closed").
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail =
    typeof cause?.message === 'string' && cause.message !== ''
      ? cause.message
      : typeof cause?.code === 'string'
        ? cause.code
        : error instanceof Error
          ? error.message
          : String(error);
  return new DownloadError(`cannot download: ${detail}`);
}

async function readLocal(url: string, options: DownloadOptions): Promise<string> {
  const path = fileURLToPath(url);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new DownloadError(`${path} is not a file`);
    if (info.size > options.maxBytes) throw tooLarge(options.maxBytes);
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    throw new DownloadError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

async function fetchRemote(url: string, options: DownloadOptions): Promise<string> {
  const controller = new AbortController();
  const timeout = new DownloadError(`timed out after ${options.timeoutMs / 1000} s`);
  const timer = setTimeout(() => controller.abort(timeout), options.timeoutMs);
  try {
    const response = await fetch(url, {
      signal: controller.signal,
      redirect: 'follow',
      headers: { 'user-agent': USER_AGENT, accept: 'text/plain, application/json;q=0.9, */*;q=0.1' },
    });
    if (!response.ok) {
      controller.abort();
      throw new DownloadError(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > options.maxBytes) {
      controller.abort();
      throw tooLarge(options.maxBytes);
    }
    if (response.body === null) return '';
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > options.maxBytes) {
        controller.abort();
        throw tooLarge(options.maxBytes);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  } catch (error) {
    throw controller.signal.reason === timeout ? timeout : describeFetchFailure(error);
  } finally {
    clearTimeout(timer);
  }
}

/** The body as text; every failure is a DownloadError with a one-line reason. */
export async function download(url: string, options: DownloadOptions): Promise<string> {
  return new URL(url).protocol === 'file:' ? readLocal(url, options) : fetchRemote(url, options);
}
