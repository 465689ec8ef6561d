// Whether dist/ (the compiled server, scripts/build-server.mjs) is at least as new as every file in src/:
// `npm start` builds it when stale, and bin/cloakradar.js runs it only when fresh (else the sources via tsx),
// so an edit is never served from an older build.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const SERVER_BUILD_STAMP = '.build-stamp';

function newest(dir) {
  let latest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export function isServerBuildFresh(root) {
  let built;
  try {
    built = statSync(join(root, 'dist', SERVER_BUILD_STAMP)).mtimeMs;
  } catch {
    return false;
  }
  return built >= Math.max(newest(join(root, 'src')), statSync(join(root, 'package-lock.json')).mtimeMs);
}
