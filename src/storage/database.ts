import type { Kysely } from 'kysely';
import type { UserTable } from '../modules/accounts/user.table.ts';
import type { ApiKeyTable } from '../modules/accounts/api-key.table.ts';
import type { MemberTable } from '../modules/accounts/member.table.ts';
import type { TrafficSourceTable } from '../modules/traffic-sources/traffic-source.table.ts';
import type { CampaignTable } from '../modules/campaigns/campaign.table.ts';
import type { ClickTable } from '../modules/clicks/click.table.ts';
import type { ConversionTable } from '../modules/conversions/conversion.table.ts';
import type { DetectionSettingsTable } from '../modules/detection-settings/detection-settings.table.ts';
import type {
  ClickStatsJournalTable,
  ClickStatsPeriodTable,
  ClickStatsVersionTable,
  ClickStatsWeeksTable,
} from '../modules/stats/click-stats.table.ts';
import type { ReportCubeFoldedTable, ReportCubeTable } from '../modules/reports/report-cube.table.ts';
import type {
  FraudAlertStateTable,
  WebhookAttemptTable,
  WebhookDeliveryTable,
  WebhookEventTable,
  WebhookTable,
} from '../modules/webhooks/webhook.table.ts';
import type { FraudReportTable } from '../modules/fraud-reports/fraud-report.table.ts';
import type { PostbackAttemptTable, PostbackDeliveryTable } from '../modules/postbacks/postback.table.ts';
import type {
  ConnectionExclusionTable,
  ConnectionJobTable,
  ConnectionLogTable,
  ConnectionTable,
} from '../modules/connections/connection.table.ts';
import type { MaintenanceJobTable } from '../modules/retention/maintenance-job.table.ts';
import type { CampaignCostDayTable } from '../modules/campaign-costs/campaign-cost.table.ts';
import type { OfferTable } from '../modules/flows/offer.table.ts';
import type { LanderTable } from '../modules/flows/lander.table.ts';
import type { AuditLogTable } from '../modules/audit/audit.table.ts';
import type { ReportColumnChangeTable } from '../modules/report-columns/report-column-change.table.ts';

/** Every table, collected from the features that own them. */
export interface Database {
  users: UserTable;
  api_keys: ApiKeyTable;
  members: MemberTable;
  audit_log: AuditLogTable;
  traffic_sources: TrafficSourceTable;
  campaigns: CampaignTable;
  clicks: ClickTable;
  conversions: ConversionTable;
  detection_settings: DetectionSettingsTable;
  click_stats_periods: ClickStatsPeriodTable;
  click_stats_journal: ClickStatsJournalTable;
  click_stats_weeks: ClickStatsWeeksTable;
  click_stats_versions: ClickStatsVersionTable;
  report_cube: ReportCubeTable;
  report_cube_folded: ReportCubeFoldedTable;
  report_column_changes: ReportColumnChangeTable;
  webhooks: WebhookTable;
  webhook_events: WebhookEventTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  fraud_alert_state: FraudAlertStateTable;
  fraud_reports: FraudReportTable;
  maintenance_jobs: MaintenanceJobTable;
  postback_deliveries: PostbackDeliveryTable;
  postback_attempts: PostbackAttemptTable;
  connections: ConnectionTable;
  connection_jobs: ConnectionJobTable;
  connection_log: ConnectionLogTable;
  connection_exclusions: ConnectionExclusionTable;
  campaign_cost_days: CampaignCostDayTable;
  offers: OfferTable;
  landers: LanderTable;
}

export type Db = Kysely<Database>;
