// Prints the top entries of a V8 CPU profile (node --cpu-prof): self time by function and by file, as shares of
// busy time (idle and the program's own idle loop excluded). Usage: node --import tsx bench/tracker/profile-top.ts FILE [N] [FROM_S]
// FROM_S: leave out the profile's first FROM_S seconds (start-up: module loading, the ASN index, migrations).
import { IDLE_FRAMES, readProfile } from './cpu-profile.ts';

const [file, topArg, fromArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-top.ts FILE [N] [FROM_S]');
const top = Number(topArg ?? 25);
const fromUs = Number(fromArg ?? 0) * 1e6;
const { profile, byId } = readProfile(file);
const selfUs = new Map<number, number>();
let elapsedUs = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  elapsedUs += delta;
  if (elapsedUs >= fromUs) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
});

let busy = 0;
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const [id, us] of selfUs) {
  const frame = byId.get(id)!.callFrame;
  if (IDLE_FRAMES.has(frame.functionName)) continue;
  busy += us;
  const where = shortUrl(frame.url);
  const fn = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  byFile.set(where || frame.functionName, (byFile.get(where || frame.functionName) ?? 0) + us);
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0)
    return url
      .slice(nm + 'node_modules/'.length)
      .split('/')
      .slice(0, 1)
      .join('/');
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1);
  return url.replace(/^node:/, 'node:');
}

function print(title: string, map: Map<string, number>): void {
  console.log(`\n${title} (busy ${(busy / 1e6).toFixed(2)} s)`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * us) / busy).toFixed(1).padStart(5)} %  ${name}`);
  }
}
print('self time by file or package', byFile);
print('self time by function', byFunction);
