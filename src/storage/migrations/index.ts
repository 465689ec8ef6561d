import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { DialectAdapter } from '../dialect-adapter.ts';
import { accountsAndCampaigns } from './001-accounts-and-campaigns.ts';
import { clicksAndConversions } from './002-clicks-and-conversions.ts';
import { detectionSettings } from './003-detection-settings.ts';
import { clickStats } from './004-click-stats.ts';
import { webhooks } from './005-webhooks.ts';
import { fraudReports } from './006-fraud-reports.ts';
import { partitionClicks } from './007-partition-clicks.ts';
import { maintenanceJobs } from './008-maintenance-jobs.ts';
import { clickKeysetIndex } from './009-click-keyset-index.ts';
import { clickStatsPeriods } from './010-click-stats-periods.ts';
import { clickStatsJournal } from './011-click-stats-journal.ts';
import { coveringStatsKey } from './012-covering-stats-key.ts';
import { clickTruncatedFlag } from './013-click-truncated-flag.ts';
import { credentialsVersion } from './014-credentials-version.ts';
import { trafficSourceLoop } from './015-traffic-source-loop.ts';
import { postbackProtection } from './016-postback-protection.ts';
import { postbacksAndEvents } from './017-postbacks-and-events.ts';
import { clickCost } from './018-click-cost.ts';
import { flows } from './019-flows.ts';
import { placementRollups } from './020-placement-rollups.ts';
import { clickSubIds } from './021-click-sub-ids.ts';
import { clickLanguage } from './022-click-language.ts';
import { members } from './023-members.ts';
import { fakeLeads } from './024-fake-leads.ts';
import { clickBeacons } from './025-click-beacons.ts';
import { adConnections } from './026-ad-connections.ts';
import { auditLog } from './027-audit-log.ts';
import { reportCube } from './028-report-cube.ts';
import { reportCubeFolds } from './029-report-cube-folds.ts';
import { writePath } from './030-write-path.ts';
import { reportCubeAllCampaigns } from './031-report-cube-all-campaigns.ts';
import { clickStatsVersions } from './032-click-stats-versions.ts';
import { reportColumnChanges } from './033-report-column-changes.ts';

/**
 * Ordered by name; a released migration is never edited, only followed by a new one. Each is frozen: it
 * carries its own constants and SQL (or a helper file named after it) and imports nothing from modules/,
 * so today's code never changes what it does (lint enforces the imports; test/db/schema-snapshot.test.ts
 * the schema they store).
 */
export function allMigrations(dialect: DialectAdapter): Record<string, Migration> {
  return {
    '001-accounts-and-campaigns': accountsAndCampaigns(dialect),
    '002-clicks-and-conversions': clicksAndConversions(dialect),
    '003-detection-settings': detectionSettings(dialect),
    '004-click-stats': clickStats(dialect),
    '005-webhooks': webhooks(dialect),
    '006-fraud-reports': fraudReports(dialect),
    '007-partition-clicks': partitionClicks(dialect),
    '008-maintenance-jobs': maintenanceJobs(dialect),
    '009-click-keyset-index': clickKeysetIndex(),
    '010-click-stats-periods': clickStatsPeriods(dialect),
    '011-click-stats-journal': clickStatsJournal(dialect),
    '012-covering-stats-key': coveringStatsKey(dialect),
    '013-click-truncated-flag': clickTruncatedFlag(),
    '014-credentials-version': credentialsVersion(),
    '015-traffic-source-loop': trafficSourceLoop(),
    '016-postback-protection': postbackProtection(),
    '017-postbacks-and-events': postbacksAndEvents(dialect),
    '018-click-cost': clickCost(dialect),
    '019-flows': flows(dialect),
    '020-placement-rollups': placementRollups(),
    '021-click-sub-ids': clickSubIds(),
    '022-click-language': clickLanguage(),
    '023-members': members(dialect),
    '024-fake-leads': fakeLeads(dialect),
    '025-click-beacons': clickBeacons(),
    '026-ad-connections': adConnections(dialect),
    '027-audit-log': auditLog(dialect),
    '028-report-cube': reportCube(dialect),
    '029-report-cube-folds': reportCubeFolds(dialect),
    '030-write-path': writePath(dialect),
    '031-report-cube-all-campaigns': reportCubeAllCampaigns(),
    '032-click-stats-versions': clickStatsVersions(dialect),
    '033-report-column-changes': reportColumnChanges(dialect),
  };
}

export async function migrateToLatest(db: Kysely<unknown>, dialect: DialectAdapter): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => allMigrations(dialect) };
  const migrator = new Migrator({ db, provider, migrationTableSchema: dialect.migrationSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
