// The layer rules (ARCHITECTURE.md, "Layers") live in eslint.config.js as no-restricted-imports patterns
// matched against import text. This plants imports in files of each restricted folder and checks ESLint
// reports the upward ones and lets the legal ones through, so a pattern that stops matching fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = join(import.meta.dirname, '..', '..');
const RULE = '@typescript-eslint/no-restricted-imports';

interface Case {
  /** A file that does not exist, in the folder under test. */
  readonly file: string;
  readonly code: string;
}

const upward: readonly Case[] = [
  { file: 'src/detection/planted.ts', code: "import type { Visitor } from '../modules/clicks/visitor.ts';" },
  { file: 'src/detection/planted.ts', code: "export type { Visitor } from '../modules/clicks/visitor.ts';" },
  { file: 'src/detection/planted.ts', code: "import { loadConfig } from '../config.ts';" },
  { file: 'src/detection/rules/planted.ts', code: "import { subnetOf } from '../../intel/ip-address.ts';" },
  { file: 'src/detection/lists/planted.ts', code: "import type { Db } from '../../storage/database.ts';" },
  { file: 'src/detection/planted.ts', code: "import { sql } from 'kysely';" },
  {
    file: 'src/storage/planted.ts',
    code: "import type { CampaignRow } from '../modules/campaigns/campaign.table.ts';",
  },
  {
    file: 'src/storage/counters/planted.ts',
    code: "import { flaggedClicks } from '../../modules/webhooks/flagged-clicks.ts';",
  },
  { file: 'src/storage/dialects/planted.ts', code: "import { authPlugin } from '../../http/auth.ts';" },
  { file: 'src/storage/database.ts', code: "import { CLICK_COLUMNS } from '../modules/clicks/click.table.ts';" },
  {
    file: 'src/storage/database.ts',
    code: "import type { CampaignService } from '../modules/campaigns/campaign.service.ts';",
  },
  {
    file: 'src/storage/migrations/planted.ts',
    code: "import { COUNTER_NAMES } from '../../modules/stats/click-stats.table.ts';",
  },
  { file: 'src/storage/migrations/planted.ts', code: "import type { Db } from '../database.ts';" },
  { file: 'src/storage/migrations/planted.ts', code: "import { openRedis } from '../counters/redis-client.ts';" },
  { file: 'src/intel/planted.ts', code: "import { buildVisitor } from '../modules/clicks/visitor.ts';" },
  { file: 'src/intel/planted.ts', code: "import { authPlugin } from '../http/auth.ts';" },
  { file: 'src/intel/lists/planted.ts', code: "import trackingRoutes from '../../routes/tracking.ts';" },
  { file: 'src/modules/clicks/planted.ts', code: "import { principalOf } from '../../http/auth.ts';" },
  { file: 'src/modules/webhooks/outbox/planted.ts', code: "import apiRoutes from '../../../routes/api/index.ts';" },
  { file: 'src/http/planted.ts', code: "import trackingRoutes from '../routes/tracking.ts';" },
  {
    file: 'src/routes/api/v1/planted.ts',
    code: "import { findCampaignByUuid } from '../../../modules/campaigns/campaign.repository.ts';",
  },
  { file: 'src/routes/planted.ts', code: "import { sql } from 'kysely';" },
  { file: 'src/routes/planted.ts', code: "import type { Migration } from 'kysely/migration';" },
  { file: 'src/routes/api/planted.ts', code: "import type { Db } from '../../storage/database.ts';" },
];

const legal: readonly Case[] = [
  { file: 'src/detection/planted.ts', code: "import type { Visitor } from './visitor.ts';" },
  { file: 'src/detection/rules/planted.ts', code: "import { evaluate } from '../evaluate.ts';" },
  { file: 'src/detection/rules/planted.ts', code: "import { isbot } from 'isbot';" },
  { file: 'src/storage/counters/planted.ts', code: "import type { ClickHistory } from '../../detection/index.ts';" },
  { file: 'src/storage/counters/planted.ts', code: "import type { EventBus } from '../../events.ts';" },
  { file: 'src/storage/database.ts', code: "import type { UserTable } from '../modules/accounts/user.table.ts';" },
  { file: 'src/storage/migrations/planted.ts', code: "import type { DialectAdapter } from '../dialect-adapter.ts';" },
  {
    file: 'src/storage/migrations/planted.ts',
    code: "import { rebuild } from './010-click-stats-periods.rebuild.ts';",
  },
  { file: 'src/intel/planted.ts', code: "import { parseCidr } from '../detection/cidr.ts';" },
  {
    file: 'src/routes/api/v1/planted.ts',
    code: "import { createCampaign } from '../../../modules/campaigns/campaign.service.ts';",
  },
  { file: 'src/modules/clicks/planted.ts', code: "import { insertClicks } from './click.repository.ts';" },
  { file: 'src/modules/clicks/planted.ts', code: "import { subnetOf } from '../../intel/ip-address.ts';" },
  {
    file: 'src/http/planted.ts',
    code: "import type { AccountService } from '../modules/accounts/account.service.ts';",
  },
];

// The planted files exist only as text, so the type-aware rules (which need each file in a TypeScript
// project) are switched off here; the layer rules read import specifiers alone and need no types.
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});

/** The layer rule's reports on `entry` (other rules, such as unused imports, have their say elsewhere). */
async function restrictions(entry: Case): Promise<string[]> {
  const [result] = await eslint.lintText(`${entry.code}\n`, { filePath: join(ROOT, entry.file) });
  assert.ok(result, entry.file);
  assert.deepEqual(
    result.messages.filter((message) => message.ruleId === null),
    [],
    `${entry.file} parses and is linted, not ignored`,
  );
  return result.messages.filter((message) => message.ruleId === RULE).map((message) => message.message);
}

for (const entry of upward)
  test(`reported: ${entry.file}: ${entry.code}`, async () => {
    assert.equal((await restrictions(entry)).length, 1);
  });

for (const entry of legal)
  test(`allowed: ${entry.file}: ${entry.code}`, async () => {
    assert.deepEqual(await restrictions(entry), []);
  });

test('every restricted folder has an upward import planted', () => {
  for (const folder of [
    'src/detection/',
    'src/storage/counters/',
    'src/storage/database.ts',
    'src/storage/migrations/',
    'src/intel/',
    'src/modules/',
    'src/http/',
    'src/routes/',
  ])
    assert.ok(
      upward.some((entry) => entry.file.startsWith(folder)),
      folder,
    );
});

test('npm run lint checks import cycles too', () => {
  const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
  assert.match(scripts.lint ?? '', /npm run check:cycles/);
  assert.match(scripts['check:cycles'] ?? '', /--exit-code circular:1/);
});
