// Runs every *.test.ts under src/ and test/ with node's own test runner (Node 20's --test takes no globs).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : findTests(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const filter = process.argv.slice(2);
const files = ['src', 'test']
  .flatMap(findTests)
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
if (!process.env.CLOAKRADAR_TEST_PG) {
  console.log('# CLOAKRADAR_TEST_PG is not set: database tests run on SQLite only, PostgreSQL runs are SKIPPED.');
}
if (!process.env.REDIS_TEST_URL) {
  console.log('# REDIS_TEST_URL is not set: the Redis and several-node tests (test/scale) are SKIPPED.');
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
