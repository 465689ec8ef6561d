import { setFlagsFromString } from 'node:v8';

/**
 * How much V8 lets the old generation grow past what the last full collection kept, in percent. Left to
 * itself V8 picks up to 300 % when collections are quick, as they are for this server's short-lived click
 * objects: the heap then swung between ~105 and ~215 MiB under load, and the process's peaks rode those
 * swings (476–505 MiB over 1.5M-click soaks at the default window cap, against the 450 MiB goal). At 20 % the
 * heap stayed within 88–119 MiB and the peaks at 406–430 MiB, and over those soaks the tracker answered as
 * many clicks a second or more. The price is a fresh process's first seconds: about a fifth more CPU per
 * click in a 10-second run, while the heap grows from empty a fifth at a time (BENCHMARKS.md, "Heap growth
 * and idle memory").
 */
export const HEAP_GROWING_PERCENT = 20;

/**
 * Sets V8's heap growth for this process, unless it was started with its own `--heap-growing-percent`.
 * V8 reads the flag each time it sizes the heap after a collection, so setting it once the process runs
 * takes effect at the next collection (Node warns that flags set late may not apply; this one does).
 */
export function tuneHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((flag) => /^--heap[-_]growing[-_]percent\b/.test(flag))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
