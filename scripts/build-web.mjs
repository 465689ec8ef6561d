// Builds the dashboard into web/dist. With --if-stale (npm's prestart) it builds only when web/dist is
// missing or older than a source file, so `npm ci && npm start` serves the dashboard with no extra step.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'web');
const built = join(web, 'dist', 'index.html');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    0,
    ...readdirSync(path)
      .filter((name) => name !== 'dist')
      .map((name) => newest(join(path, name))),
  );
}

if (
  process.argv.includes('--if-stale') &&
  existsSync(built) &&
  statSync(built).mtimeMs >= Math.max(newest(web), statSync(join(root, 'package-lock.json')).mtimeMs)
) {
  process.exit(0);
}
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
if (!existsSync(vite)) {
  console.warn(
    'web: vite is not installed (npm ci --omit=dev?); the server runs without the dashboard. Run `npm ci` then `npm run build:web`.',
  );
  process.exit(0);
}
const result = spawnSync(
  process.execPath,
  [vite, 'build', '--config', join(web, 'vite.config.ts'), '--logLevel', 'warn'],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
