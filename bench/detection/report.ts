// The detection sections of BENCHMARKS.md. Each lives between its own markers, and a run replaces
// only what is between them: the other sections of the file are left byte for byte as they are.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export type DetectionBlock = 'accuracy' | 'cost';

const TITLES: Readonly<Record<DetectionBlock, string>> = {
  accuracy: '## Detection accuracy',
  cost: '## Detection cost',
};

export function writeDetectionBlock(path: string, block: DetectionBlock, content: string): void {
  writeMarkedBlock(path, `detection:${block}`, TITLES[block], content);
}

/**
 * Replaces what is between a block's markers (`<!-- bench:ID -->` … `<!-- /bench:ID -->`), or appends
 * the block under its `## …` heading at the end of the file. The heading stays outside the markers,
 * so another section's writer that ends its section at the next heading never swallows a marker of ours.
 */
export function writeMarkedBlock(path: string, id: string, title: string, content: string): void {
  const start = `<!-- bench:${id} -->`;
  const end = `<!-- /bench:${id} -->`;
  const original = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const replacement = `${start}\n${content.trim()}\n${end}`;
  const from = original.indexOf(start);
  const to = original.indexOf(end);
  if (from >= 0 && to > from) {
    writeFileSync(path, original.slice(0, from) + replacement + original.slice(to + end.length));
    return;
  }
  writeFileSync(path, `${original.replace(/\n*$/, '\n\n')}${title}\n\n${replacement}\n`);
}

export const pct = (part: number, whole: number, digits = 1): string =>
  whole === 0 ? '–' : `${((100 * part) / whole).toFixed(digits)}%`;
export const int = (value: number): string => Math.round(value).toLocaleString('en-US');

/** `--help`: print the file's leading `//` comment (the usage) and exit. */
export function printUsageAndExit(moduleUrl: string): never {
  const lines = readFileSync(new URL(moduleUrl), 'utf8').split('\n');
  console.log(
    lines
      .slice(
        0,
        lines.findIndex((line) => !line.startsWith('//')),
      )
      .map((line) => line.slice(3))
      .join('\n'),
  );
  process.exit(0);
}

/** A positive whole-number flag, or its default. */
export function wholeFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new Error(`--${name} must be a positive whole number, got "${value}"`);
  return Number(value);
}
