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
