import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** The tag's source, served as is: read once, hashed for its ETag, gzipped once for browsers that accept it. */
export interface LanderTagFile {
  readonly source: Buffer;
  readonly gzipped: Buffer;
  readonly etag: string;
}

export const LANDER_TAG_PATH = new URL('../tag/t.js', import.meta.url);

export function loadLanderTag(path: URL = LANDER_TAG_PATH): LanderTagFile {
  const source = readFileSync(path);
  const etag = `"${createHash('sha256').update(source).digest('base64url').slice(0, 22)}"`;
  return { source, gzipped: gzipSync(source, { level: 9 }), etag };
}
