// Compiles src/ into dist/ (same layout, one .js per .ts, other files copied), so `npm start` runs plain
// JavaScript: the tsx loader kept esbuild and its transpile caches in the server process (about 150 MiB of
// RSS, BENCHMARKS.md "Tracker memory"). Every file keeps its depth (src/x/y.ts → dist/x/y.js), so paths a
// module builds from import.meta.url (../../web/dist, ./common-passwords.txt) still resolve.
// With --if-stale (npm's prestart) it builds only when dist/ is missing or older than a source file.
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isServerBuildFresh, SERVER_BUILD_STAMP } from '../bin/server-build-stamp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');

if (process.argv.includes('--if-stale') && isServerBuildFresh(root)) process.exit(0);

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : [path];
  });
}

const all = files(src);
// Tests and their helpers never run from dist/.
const sources = all.filter((path) => path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts'));
const assets = all.filter((path) => !path.endsWith('.ts'));

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.warn('server: esbuild is not installed; `npm start` runs the TypeScript sources through tsx instead.');
  process.exit(0);
}

// Built beside dist/ and swapped in whole, so a running server or a crash never sees half a build.
const next = `${dist}.${process.pid}.tmp`;
rmSync(next, { recursive: true, force: true });
mkdirSync(next, { recursive: true });
await esbuild.build({
  entryPoints: sources,
  outdir: next,
  outbase: src,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  // Each file on its own: relative imports stay imports (their .ts becomes .js), packages stay packages.
  bundle: true,
  packages: 'external',
  logLevel: 'warning',
  plugins: [
    {
      name: 'relative-imports-stay-external',
      setup(build) {
        build.onResolve({ filter: /^\.\.?\// }, (args) =>
          args.kind === 'entry-point' ? undefined : { path: args.path.replace(/\.ts$/, '.js'), external: true },
        );
      },
    },
  ],
});
for (const asset of assets) cpSync(asset, join(next, relative(src, asset)));
writeFileSync(join(next, SERVER_BUILD_STAMP), `${new Date().toISOString()}\n`);
rmSync(dist, { recursive: true, force: true });
if (existsSync(dist)) throw new Error(`could not replace ${dist}`);
renameSync(next, dist);
console.log(`server: compiled ${sources.length} files into dist/`);
