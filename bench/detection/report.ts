// The detection sections of BENCHMARKS.md. Each lives between its own markers, and a run replaces
// only what is between them: the other sections of the file are left byte for byte as they are.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export type DetectionBlock = 'accuracy' | 'cost';

const start = (block: DetectionBlock) => `<!-- bench:detection:${block} -->`;
const end = (block: DetectionBlock) => `<!-- /bench:detection:${block} -->`;

const TITLES: Readonly<Record<DetectionBlock, string>> = { accuracy: '## Detection accuracy', cost: '## Detection cost' };

/**
 * Replaces what is between the block's markers, or appends the block under its `## …` heading at
 * the end of the file. The heading stays outside the markers, so another section's writer that
 * ends its section at the next heading never swallows a marker of ours.
 */
export function writeDetectionBlock(path: string, block: DetectionBlock, content: string): void {
  const original = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const replacement = `${start(block)}\n${content.trim()}\n${end(block)}`;
  const from = original.indexOf(start(block));
  const to = original.indexOf(end(block));
  if (from >= 0 && to > from) {
    writeFileSync(path, original.slice(0, from) + replacement + original.slice(to + end(block).length));
    return;
  }
  writeFileSync(path, `${original.replace(/\n*$/, '\n\n')}${TITLES[block]}\n\n${replacement}\n`);
}

export const pct = (part: number, whole: number, digits = 1): string => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(digits)}%`);
export const int = (value: number): string => Math.round(value).toLocaleString('en-US');

/** `--help`: print the file's leading `//` comment (the usage) and exit. */
export function printUsageAndExit(moduleUrl: string): never {
  const lines = readFileSync(new URL(moduleUrl), 'utf8').split('\n');
  console.log(lines.slice(0, lines.findIndex((line) => !line.startsWith('//'))).map((line) => line.slice(3)).join('\n'));
  process.exit(0);
}

/** A positive whole-number flag, or its default. */
export function wholeFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`--${name} must be a positive whole number, got "${value}"`);
  return Number(value);
}
