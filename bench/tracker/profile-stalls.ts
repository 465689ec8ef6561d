// The event loop's long busy stretches in a V8 CPU profile (node --cpu-prof): runs of samples with no idle between
// them, longer than a threshold, and what they spent their time in. What a visitor's redirect waits behind when
// the paced latency's tail is longer than the work of one click.
//
//   node --import tsx bench/tracker/profile-stalls.ts FILE [MIN_MS=15] [FROM_S=0] [TO_S=end] [TOP=6]
import { IDLE_FRAMES, readProfile } from './cpu-profile.ts';

const [file, minArg, fromArg, toArg, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-stalls.ts FILE [MIN_MS] [FROM_S] [TO_S] [TOP]');
const minUs = Number(minArg ?? 15) * 1000;
const fromUs = Number(fromArg ?? 0) * 1e6;
const toUs = toArg === undefined ? Infinity : Number(toArg) * 1e6;
const top = Number(topArg ?? 6);

const { profile, byId } = readProfile(file);
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

const label = (id: number): string => {
  const frame = byId.get(id)!.callFrame;
  const url = frame.url;
  const nm = url.lastIndexOf('node_modules/');
  const where = nm >= 0 ? url.slice(nm + 13).split('/')[0] : url.replace(/^.*\/(dist|src)\//, '');
  return `${frame.functionName || '(anonymous)'} ${where}${where ? `:${frame.lineNumber + 1}` : ''}`;
};
/** The frame of our own code nearest the stack's root: which of our entry points the time belongs to. */
const entryOf = (id: number): string => {
  let entry: number | undefined;
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const url = byId.get(at)!.callFrame.url;
    if (/\/(dist|src)\//.test(url) && !url.includes('node_modules')) entry = at;
  }
  return entry === undefined ? '(no frame of ours)' : label(entry);
};

interface Stretch {
  startUs: number;
  us: number;
  self: Map<string, number>;
  entries: Map<string, number>;
}
const stretches: Stretch[] = [];
let current: Stretch | undefined;
let at = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  at += delta;
  if (at < fromUs || at > toUs) return;
  const idle = IDLE_FRAMES.has(byId.get(id)!.callFrame.functionName);
  if (idle) {
    if (current && current.us >= minUs) stretches.push(current);
    current = undefined;
    return;
  }
  current ??= { startUs: at, us: 0, self: new Map(), entries: new Map() };
  current.us += delta;
  const self = label(id);
  current.self.set(self, (current.self.get(self) ?? 0) + delta);
  const entry = entryOf(id);
  current.entries.set(entry, (current.entries.get(entry) ?? 0) + delta);
});
if (current && current.us >= minUs) stretches.push(current);

const share = (map: Map<string, number>, total: number) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => `${((us / total) * 100).toFixed(0)} % ${name}`)
    .join('; ');
console.log(`${stretches.length} busy stretches of ${minUs / 1000} ms or more`);
for (const stretch of stretches) {
  console.log(`\nat ${(stretch.startUs / 1e6).toFixed(2)} s, ${(stretch.us / 1000).toFixed(1)} ms`);
  console.log(`  self: ${share(stretch.self, stretch.us)}`);
  console.log(`  our entry: ${share(stretch.entries, stretch.us)}`);
}
const all = { self: new Map<string, number>(), entries: new Map<string, number>(), us: 0 };
for (const stretch of stretches) {
  all.us += stretch.us;
  for (const [k, v] of stretch.self) all.self.set(k, (all.self.get(k) ?? 0) + v);
  for (const [k, v] of stretch.entries) all.entries.set(k, (all.entries.get(k) ?? 0) + v);
}
if (stretches.length > 0) {
  console.log(`\nall stretches together (${(all.us / 1000).toFixed(0)} ms):`);
  console.log(`  self: ${share(all.self, all.us)}`);
  console.log(`  our entry: ${share(all.entries, all.us)}`);
}
