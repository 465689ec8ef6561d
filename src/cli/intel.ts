import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { validationError } from '../errors.ts';
import { IntelLockError, listsDir, ManifestError, manifestPath, readManifest } from '../intel/lists/storage.ts';
import { checkOnly, UnknownListError, updateIntelLists, type SourceOutcome } from '../intel/lists/update.ts';

/** Columns padded to their widest cell; the last one is left ragged. */
function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

function describe(outcome: SourceOutcome): string {
  if (outcome.status !== 'failed') {
    return outcome.badLines > 0 ? `${outcome.status} (${outcome.badLines} unreadable lines skipped)` : outcome.status;
  }
  const kept = outcome.kept === null ? 'no copy in use' : `keeping the copy fetched ${outcome.kept.fetched_at}`;
  return `failed: ${outcome.reason} (${kept})`;
}

function progressLine(outcome: SourceOutcome, done: number, total: number): string {
  const what =
    outcome.status === 'failed' ? `failed: ${outcome.reason}` : `${outcome.status}, ${outcome.entries} entries`;
  return `[${done}/${total}] ${outcome.id}: ${what} (${(outcome.ms / 1000).toFixed(1)} s)`;
}

function parseOnly(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0) throw validationError('only', '--only needs one or more list ids separated by commas');
  return [...new Set(ids)];
}

async function update(options: { only?: string }): Promise<void> {
  const config = loadConfig();
  const only = parseOnly(options.only);
  try {
    if (only !== undefined) checkOnly(config.intelSources, only);
  } catch (error) {
    throw error instanceof UnknownListError ? validationError('only', error.message) : error;
  }
  const count = only?.length ?? config.intelSources.length;
  console.log(`Updating ${count} IP list${count === 1 ? '' : 's'} into ${listsDir(config.dataDir)}`);
  let report;
  try {
    report = await updateIntelLists({
      dataDir: config.dataDir,
      sources: config.intelSources,
      only,
      onProgress: (outcome, done, total) => console.log(progressLine(outcome, done, total)),
    });
  } catch (error) {
    if (!(error instanceof IntelLockError)) throw error;
    console.error(`cloakradar: ${error.message}`);
    process.exitCode = 1;
    return;
  }
  if (report.previousManifestError !== null) console.error(`warning: ${report.previousManifestError}`);
  console.log('');
  console.log(
    table(
      ['LIST', 'KIND', 'ENTRIES', 'STATUS'],
      report.outcomes.map((o) => [o.id, o.kind, o.entries === null ? '-' : String(o.entries), describe(o)]),
    ),
  );
  for (const id of report.removed) console.log(`removed ${id}: its source is no longer configured`);
  const failed = report.outcomes.filter((outcome) => outcome.status === 'failed').length;
  // Partial failure is normal life for lists from several third parties: the failed ones keep
  // their previous copy, so only a run in which nothing could be fetched is an error.
  if (failed === report.outcomes.length) {
    console.error(`cloakradar: every source failed; the lists in use are unchanged`);
    process.exitCode = 1;
  } else if (failed > 0) {
    console.error(`${failed} of ${report.outcomes.length} sources failed; each keeps its previous copy, if any`);
  }
}

function status(): void {
  const config = loadConfig();
  let manifest;
  try {
    manifest = readManifest(config.dataDir);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    console.error(`cloakradar: ${manifestPath(config.dataDir)}: ${error.message}; run \`cloakradar intel update\``);
    process.exitCode = 1;
    return;
  }
  if (manifest === null) {
    console.log('No IP lists yet: run `cloakradar intel update`.');
    return;
  }
  const now = Date.now();
  const byId = new Map(manifest.lists.map((list) => [list.id, list]));
  const rows = config.intelSources.map((source) => {
    const list = byId.get(source.id);
    if (list === undefined) return [source.id, source.kind, '-', 'never', '-', 'not fetched yet'];
    const age = formatAge(Math.max(0, Math.floor((now - Date.parse(list.fetched_at)) / 1000)));
    return [list.id, list.kind, String(list.entries), list.fetched_at, age, list.changed_at];
  });
  for (const list of manifest.lists) {
    if (!config.intelSources.some((source) => source.id === list.id)) {
      const age = formatAge(Math.max(0, Math.floor((now - Date.parse(list.fetched_at)) / 1000)));
      rows.push([
        list.id,
        list.kind,
        String(list.entries),
        list.fetched_at,
        age,
        'no longer configured: dropped at the next update',
      ]);
    }
  }
  console.log(table(['LIST', 'KIND', 'ENTRIES', 'FETCHED', 'AGE', 'CHANGED'], rows));
}

export function registerIntel(program: Command): void {
  const intel = program
    .command('intel')
    .description('IP reputation lists: Tor exits, VPN ranges, published crawler ranges');
  intel
    .command('update')
    .description('download the IP lists, check them and swap them in (a running server picks them up)')
    .option('--only <ids>', 'comma-separated list ids to refresh; the others stay as they are')
    .action(update);
  intel.command('status').description('show the IP lists in use and their age').action(status);
}
