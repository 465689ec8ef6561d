// Machine description, markdown tables, and the `## Tracker (GET /c/{uuid})` section of BENCHMARKS.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, release, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';

export const SECTION_TITLE = '## Tracker (GET /c/{uuid})';

export function describeMachine(extra: string[] = []): string {
  let cpu = 'unknown CPU';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux
  }
  const memoryGiB = (totalmem() / 2 ** 30).toFixed(1);
  return [
    `nproc ${availableParallelism()}`,
    cpu,
    `${memoryGiB} GiB RAM`,
    `Linux ${release()}`,
    `Node ${process.version}`,
    ...extra,
  ].join(', ');
}

export function describeCommit(cwd: string): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync(
      'git',
      ['status', '--porcelain', '--untracked-files=no', '--', 'src', 'bin', 'package.json'],
      { cwd, encoding: 'utf8' },
    ).trim();
    return dirty ? `${commit} + uncommitted changes in src/bin` : commit;
  } catch {
    return 'unknown';
  }
}

export const ms = (value: number | undefined): string =>
  value === undefined || Number.isNaN(value)
    ? '–'
    : value < 10
      ? value.toFixed(2)
      : value < 100
        ? value.toFixed(1)
        : value.toFixed(0);
export const int = (value: number | undefined): string =>
  value === undefined || Number.isNaN(value) ? '–' : Math.round(value).toLocaleString('en-US');
export const mib = (kb: number | undefined): string => (kb === undefined ? '–' : (kb / 1024).toFixed(0));

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

const blockStart = (block: string): string => `<!-- bench:tracker:${block} -->`;
const blockEnd = (block: string): string => `<!-- /bench:tracker:${block} -->`;

/**
 * Replaces one block ('main' or 'soak') of the tracker section in `path`, keeping the other block and every
 * other section of the file as they are. Creates the file or the section when missing.
 */
export function writeSectionBlock(path: string, block: 'main' | 'soak', content: string): void {
  const original = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const lines = original.split('\n');
  const start = lines.findIndex((line) => line.trim() === SECTION_TITLE);
  let before: string;
  let section: string;
  let after: string;
  if (start < 0) {
    before = original.replace(/\n*$/, '\n\n');
    section = '';
    after = '';
  } else {
    let end = lines.findIndex((line, i) => i > start && /^## /.test(line));
    if (end < 0) end = lines.length;
    before = lines.slice(0, start).join('\n').replace(/\n*$/, '\n\n');
    section = lines.slice(start + 1, end).join('\n');
    after = end < lines.length ? `\n${lines.slice(end).join('\n')}` : '';
  }
  const keep = (name: 'main' | 'soak'): string => {
    const from = section.indexOf(blockStart(name));
    const to = section.indexOf(blockEnd(name));
    return from >= 0 && to > from ? section.slice(from, to + blockEnd(name).length) : '';
  };
  const blocks = { main: keep('main'), soak: keep('soak') };
  blocks[block] = `${blockStart(block)}\n${content.trim()}\n${blockEnd(block)}`;
  const intro =
    'Every ad click is a `GET /c/{uuid}`: the click is enriched, checked and committed before the 302 goes out. ' +
    'Measured by `bench/tracker/run.ts` against a bare `node:http` server that only answers the same 302 (the ceiling). ' +
    'Each run replaces its own block below.';
  const body = [SECTION_TITLE, intro, blocks.main, blocks.soak].filter((part) => part !== '').join('\n\n');
  writeFileSync(path, `${before}${body}\n${after}`);
}
