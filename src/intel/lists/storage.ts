// On-disk layout of the IP lists:
//
//   DATA_DIR/intel/lists/<id>.txt   normalized entries, one per line (see entries.ts)
//   DATA_DIR/intel/manifest.json    what is there: per list its kind, source, sha256, entry count, times
//
// Every file is replaced by writing a temp file beside it, fsyncing it and renaming it over the old
// one; the manifest goes last, so a reader that trusts only lists whose sha256 matches the manifest
// never acts on a half-written or half-swapped set.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { LIST_FORMATS, LIST_KINDS, type ListFormat, type ListKind } from './entries.ts';

export const MANIFEST_FORMAT = 1;

export interface ManifestList {
  readonly id: string;
  readonly kind: ListKind;
  readonly company: string | null;
  /** The source it was downloaded from. */
  readonly url: string;
  readonly format: ListFormat;
  /** Last successful download (ISO), whether or not the content changed. */
  readonly fetched_at: string;
  /** When the content last differed from the copy before it (ISO). */
  readonly changed_at: string;
  /** Of the stored file's bytes. */
  readonly sha256: string;
  readonly entries: number;
}

export interface Manifest {
  readonly format: number;
  readonly written_at: string;
  readonly lists: readonly ManifestList[];
}

export const intelDir = (dataDir: string): string => join(dataDir, 'intel');
export const listsDir = (dataDir: string): string => join(dataDir, 'intel', 'lists');
export const manifestPath = (dataDir: string): string => join(dataDir, 'intel', 'manifest.json');
export const lockPath = (dataDir: string): string => join(dataDir, 'intel', 'update.lock');
export const listPath = (dataDir: string, id: string): string => join(dataDir, 'intel', 'lists', `${id}.txt`);

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SHA_PATTERN = /^[0-9a-f]{64}$/;
const TEMP_SUFFIX = /\.\d+\.[0-9a-f]{8}\.tmp$/;

export function sha256(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class ManifestError extends Error {}

const isIso = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));

/** Checks every field; the ids are used as file names, so a tampered manifest cannot point outside the folder. */
export function parseManifest(text: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ManifestError('the manifest is not valid JSON');
  }
  const manifest = value as Partial<Manifest> | null;
  if (manifest?.format !== MANIFEST_FORMAT || !Array.isArray(manifest.lists)) {
    throw new ManifestError(`the manifest is not format ${MANIFEST_FORMAT} with a "lists" array`);
  }
  const seen = new Set<string>();
  for (const list of manifest.lists as unknown[]) {
    const l = (list ?? {}) as Partial<ManifestList>;
    const ok =
      typeof l.id === 'string' &&
      ID_PATTERN.test(l.id) &&
      !seen.has(l.id) &&
      LIST_KINDS.includes(l.kind as ListKind) &&
      (l.kind === 'crawler' ? typeof l.company === 'string' && l.company !== '' : l.company === null) &&
      typeof l.url === 'string' &&
      LIST_FORMATS.includes(l.format as ListFormat) &&
      isIso(l.fetched_at) &&
      isIso(l.changed_at) &&
      typeof l.sha256 === 'string' &&
      SHA_PATTERN.test(l.sha256) &&
      Number.isInteger(l.entries) &&
      (l.entries as number) >= 0;
    if (!ok) throw new ManifestError(`the manifest has a malformed list entry: ${JSON.stringify(list)?.slice(0, 200)}`);
    seen.add(l.id!);
  }
  return manifest as Manifest;
}

/** Null when there is no manifest yet; throws ManifestError when there is one but it is unusable. */
export function readManifest(dataDir: string): Manifest | null {
  let text: string;
  try {
    text = readFileSync(manifestPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ManifestError(`cannot read the manifest: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseManifest(text);
}

export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function fsyncDirectory(dir: string): void {
  // Makes the renames themselves durable. Not every platform can open a directory (Windows): best effort.
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* the rename is still atomic, only its durability across a power cut is not guaranteed */
  }
}

/** A file written and fsynced under a temp name; `commit` renames it into place. */
export interface StagedFile {
  readonly path: string;
  readonly tempPath: string;
  commit(): void;
  discard(): void;
}

export function stageFile(path: string, content: string): StagedFile {
  mkdirSync(dirname(path), { recursive: true });
  const tempPath = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(tempPath, 'wx', 0o644);
    try {
      const bytes = Buffer.from(content, 'utf8');
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    rmSync(tempPath, { force: true });
    throw error;
  }
  return {
    path,
    tempPath,
    commit: () => renameSync(tempPath, path),
    discard: () => rmSync(tempPath, { force: true }),
  };
}

/**
 * Renames the staged list files into place, then the manifest, then fsyncs the folders. On an
 * error every temp file not yet renamed is removed.
 */
export function commitFiles(dataDir: string, lists: readonly StagedFile[], manifest: StagedFile): void {
  try {
    for (const file of lists) file.commit();
    manifest.commit();
  } finally {
    for (const file of [...lists, manifest]) file.discard();
  }
  fsyncDirectory(listsDir(dataDir));
  fsyncDirectory(intelDir(dataDir));
}

/**
 * Removes temp files a crashed update left behind. Only ours: the ASN index also writes temp files
 * into DATA_DIR/intel, possibly at this very moment from a starting server.
 */
export function sweepTempFiles(dataDir: string): void {
  const sweep = (dir: string, keep: (name: string) => boolean) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) if (TEMP_SUFFIX.test(name) && !keep(name)) rmSync(join(dir, name), { force: true });
  };
  sweep(listsDir(dataDir), () => false);
  sweep(intelDir(dataDir), (name) => !name.startsWith('manifest.json.'));
}

export class IntelLockError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One `intel update` at a time per data folder; a lock left by a dead process is taken over. Returns the release. */
export function acquireUpdateLock(dataDir: string): () => void {
  const path = lockPath(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder = NaN;
    try {
      holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && attempt < 2) continue; // released meanwhile
    }
    // An unreadable pid counts as held: the holder may have created the file and not yet written it.
    if (attempt < 2 && Number.isInteger(holder) && holder > 0 && !isAlive(holder)) {
      rmSync(path, { force: true });
      continue;
    }
    throw new IntelLockError(
      `another "intel update" is running (pid ${Number.isInteger(holder) ? holder : 'unknown'}); if it is not, remove ${path}`,
    );
  }
}
