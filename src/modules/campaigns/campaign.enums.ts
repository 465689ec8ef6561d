/**
 * A campaign's enumerations, one list each in the reference's order: the table's column types, the
 * API's schemas and (through the generated API types) the dashboard derive theirs from these.
 */
export const CAMPAIGN_STATUSES = ['active', 'paused', 'inactive'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const COST_MODELS = ['cpc', 'cpm', 'cpa', 'revshare'] as const;
export type CostModel = (typeof COST_MODELS)[number];

export const FRAUD_ACTIONS = ['monitor', 'block'] as const;
export type FraudAction = (typeof FRAUD_ACTIONS)[number];

/**
 * min_time_to_convert (seconds): a conversion sooner than this after its click is a fake lead (SPEC
 * section 10). The default is a few seconds no person fills a form in; the ceiling an hour, past which
 * every honest lead of a campaign would be flagged; 0 turns the check off.
 */
export const DEFAULT_MIN_TIME_TO_CONVERT = 3;
export const MAX_MIN_TIME_TO_CONVERT = 3_600;
