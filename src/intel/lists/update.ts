// `cloakradar intel update`: download every source, refuse what does not validate, and swap the
// good ones in. A failed source keeps its previous good copy: an outage at the Tor Project must not
// unlist every Tor exit.
import { readFileSync, rmSync } from 'node:fs';
import { download } from './download.ts';
import { parseListBody, rejectionReason, serializeEntries, type ListKind } from './entries.ts';
import type { IntelSource } from './sources.ts';
import {
  acquireUpdateLock,
  commitFiles,
  listPath,
  manifestPath,
  MANIFEST_FORMAT,
  ManifestError,
  readManifest,
  serializeManifest,
  sha256,
  stageFile,
  sweepTempFiles,
  type Manifest,
  type ManifestList,
  type StagedFile,
} from './storage.ts';

export type UpdateStatus = 'updated' | 'unchanged' | 'failed';

export interface SourceOutcome {
  readonly id: string;
  readonly kind: ListKind;
  readonly url: string;
  readonly status: UpdateStatus;
  /** Entries of the copy now in use: the new one, the kept one after a failure, or null when there is none. */
  readonly entries: number | null;
  /** Why the download was refused; null unless `failed`. */
  readonly reason: string | null;
  /** After a failure: the previous copy still in use, or null when there is none. */
  readonly kept: { readonly fetched_at: string; readonly entries: number } | null;
  /** Unreadable lines skipped in an accepted download (at most 1 % of it). */
  readonly badLines: number;
  readonly ms: number;
}

export interface UpdateReport {
  /** One per source attempted, in the configured order. */
  readonly outcomes: readonly SourceOutcome[];
  /** Lists dropped because their source is no longer configured. */
  readonly removed: readonly string[];
  /** Whether anything was swapped in (false when every source failed and nothing else changed). */
  readonly manifestWritten: boolean;
  /** Set when the previous manifest was unreadable and the update started afresh. */
  readonly previousManifestError: string | null;
}

export interface UpdateOptions {
  readonly dataDir: string;
  readonly sources: readonly IntelSource[];
  /** Ids to refresh; the other lists are left as they are. All sources when absent. */
  readonly only?: readonly string[];
  /** Called as each source finishes, in completion order. */
  readonly onProgress?: (outcome: SourceOutcome, done: number, total: number) => void;
  readonly now?: () => Date;
}

export class UnknownListError extends Error {}

interface Accepted {
  readonly ok: true;
  readonly content: string;
  readonly sha256: string;
  readonly entries: number;
  readonly badLines: number;
  readonly fetchedAt: string;
}

type Fetched = Accepted | { readonly ok: false; readonly reason: string };

async function fetchSource(source: IntelSource, now: () => Date): Promise<Fetched> {
  let body: string;
  try {
    body = await download(source.url, source);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const parsed = parseListBody(source.format, body);
  const reason = rejectionReason(parsed, source.format, source.minEntries);
  if (reason !== null) return { ok: false, reason };
  const content = serializeEntries(parsed.entries);
  return {
    ok: true,
    content,
    sha256: sha256(content),
    entries: parsed.entries.length,
    badLines: parsed.bad,
    fetchedAt: now().toISOString(),
  };
}

function fileHasSha(path: string, expected: string): boolean {
  try {
    return sha256(readFileSync(path)) === expected;
  } catch {
    return false;
  }
}

/** Throws UnknownListError for an id in `only` that no source has. */
export function checkOnly(sources: readonly IntelSource[], only: readonly string[]): void {
  const known = new Set(sources.map((source) => source.id));
  const unknown = only.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UnknownListError(
      `unknown list ${unknown.map((id) => `"${id}"`).join(', ')}; the configured lists are ${[...known].join(', ')}`,
    );
  }
}

export async function updateIntelLists(options: UpdateOptions): Promise<UpdateReport> {
  const { dataDir, sources } = options;
  const now = options.now ?? (() => new Date());
  if (options.only !== undefined) checkOnly(sources, options.only);
  const selected = options.only === undefined ? sources : sources.filter((source) => options.only!.includes(source.id));

  const release = acquireUpdateLock(dataDir);
  try {
    sweepTempFiles(dataDir);
    let previous: Manifest | null = null;
    let previousManifestError: string | null = null;
    try {
      previous = readManifest(dataDir);
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      previousManifestError = `${manifestPath(dataDir)}: ${error.message}; starting afresh`;
    }
    const previousById = new Map((previous?.lists ?? []).map((list) => [list.id, list]));

    // Outcomes are settled as each download finishes, so progress can say what happened.
    const accepted = new Map<string, Accepted & { rewrite: boolean }>();
    const keep = new Set<string>();
    let done = 0;
    const outcomes = await Promise.all(
      selected.map(async (source): Promise<SourceOutcome> => {
        const started = performance.now();
        const fetched = await fetchSource(source, now);
        const old = previousById.get(source.id);
        const base = { id: source.id, kind: source.kind, url: source.url, ms: Math.round(performance.now() - started) };
        let outcome: SourceOutcome;
        if (fetched.ok) {
          const same = old?.sha256 === fetched.sha256 && fileHasSha(listPath(dataDir, source.id), fetched.sha256);
          accepted.set(source.id, { ...fetched, rewrite: !same });
          outcome = {
            ...base,
            status: same ? 'unchanged' : 'updated',
            entries: fetched.entries,
            reason: null,
            kept: null,
            badLines: fetched.badLines,
          };
        } else if (old !== undefined && fileHasSha(listPath(dataDir, source.id), old.sha256)) {
          keep.add(source.id);
          outcome = {
            ...base,
            status: 'failed',
            entries: old.entries,
            reason: fetched.reason,
            kept: { fetched_at: old.fetched_at, entries: old.entries },
            badLines: 0,
          };
        } else {
          const reason =
            old === undefined
              ? fetched.reason
              : `${fetched.reason}; the previous copy is missing or damaged and is dropped`;
          outcome = { ...base, status: 'failed', entries: null, reason, kept: null, badLines: 0 };
        }
        options.onProgress?.(outcome, ++done, selected.length);
        return outcome;
      }),
    );

    const selectedIds = new Set(selected.map((source) => source.id));
    const lists: ManifestList[] = [];
    for (const source of sources) {
      const old = previousById.get(source.id);
      const fresh = accepted.get(source.id);
      if (fresh !== undefined) {
        lists.push({
          id: source.id,
          kind: source.kind,
          company: source.company,
          url: source.url,
          format: source.format,
          fetched_at: fresh.fetchedAt,
          changed_at: old?.sha256 === fresh.sha256 ? old.changed_at : fresh.fetchedAt,
          sha256: fresh.sha256,
          entries: fresh.entries,
        });
      } else if (old !== undefined && (!selectedIds.has(source.id) || keep.has(source.id))) {
        lists.push(old);
      }
    }
    const configured = new Set(sources.map((source) => source.id));
    const removed = (previous?.lists ?? []).filter((list) => !configured.has(list.id)).map((list) => list.id);
    const dropped = (previous?.lists ?? []).some(
      (list) => configured.has(list.id) && !lists.some((kept) => kept.id === list.id),
    );

    // Nothing fetched and nothing to drop: leave the files alone (an unreadable previous manifest
    // included, which a running server is already ignoring while it keeps its tables).
    const manifestWritten = accepted.size > 0 || removed.length > 0 || dropped;
    if (manifestWritten) {
      const staged: StagedFile[] = [];
      let manifestFile: StagedFile | undefined;
      try {
        for (const [id, fresh] of accepted)
          if (fresh.rewrite) staged.push(stageFile(listPath(dataDir, id), fresh.content));
        const manifest: Manifest = { format: MANIFEST_FORMAT, written_at: now().toISOString(), lists };
        manifestFile = stageFile(manifestPath(dataDir), serializeManifest(manifest));
      } catch (error) {
        for (const file of staged) file.discard();
        throw error;
      }
      commitFiles(dataDir, staged, manifestFile);
      // Only once the manifest no longer names them: a reader never finds a listed file missing.
      for (const id of removed) rmSync(listPath(dataDir, id), { force: true });
    }
    return { outcomes, removed, manifestWritten, previousManifestError };
  } finally {
    release();
  }
}
