import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const moduleUrl = new URL('./heap-growth.ts', import.meta.url).href;

/**
 * The largest old generation a child process reaches while it keeps a few hundred thousand objects alive
 * and churns batches that live long enough to be promoted, then die (as click batches and their
 * transactions' rows do), with or without tuneHeapGrowth().
 */
function peakOldSpaceMb(tuned: boolean, extraFlags: readonly string[] = []): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    const { tuneHeapGrowth } = await import(${JSON.stringify(moduleUrl)});
    if (${tuned}) tuneHeapGrowth();
    const kept = Array.from({ length: 400 }, () => Array.from({ length: 12_000 }, (_, i) => ({ i })));
    let peak = 0;
    let recent = [];
    for (let round = 0; round < 6_000; round++) {
      recent.push(Array.from({ length: 2_000 }, (_, i) => ({ i, round })));
      if (recent.length > 200) recent = recent.slice(100);
      if (round % 20 === 0) {
        const old = getHeapSpaceStatistics().find((space) => space.space_name === 'old_space');
        peak = Math.max(peak, old.space_size);
      }
    }
    // Read after the loop, so the kept objects stay alive through it.
    if (kept.length !== 400) throw new Error('kept');
    process.stdout.write(String(Math.round(peak / 1048576)));
  `;
  const out = execFileSync(process.execPath, [...extraFlags, '--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
  });
  return Number(out);
}

test('set at run time, the heap growth limit holds the old generation well below where V8 alone lets it grow', () => {
  const untuned = peakOldSpaceMb(false);
  const tuned = peakOldSpaceMb(true);
  assert.ok(tuned < untuned * 0.75, `tuned ${tuned} MiB against untuned ${untuned} MiB`);
});

test('a process started with its own --heap-growing-percent keeps it', () => {
  const own = peakOldSpaceMb(true, ['--heap-growing-percent=300']);
  const tuned = peakOldSpaceMb(true);
  assert.ok(own > tuned * 1.3, `own flag ${own} MiB against tuned ${tuned} MiB`);
});
