/** A fraud report's enumerations, one list each: the table's types and the API's schemas derive from these. */
export const FRAUD_REPORT_STATUSES = ['processing', 'ready', 'failed'] as const;
export type FraudReportStatus = (typeof FRAUD_REPORT_STATUSES)[number];

/** The ad platforms a refund report can be made for: those whose click id the CSV names. */
export const AD_PLATFORMS = ['google', 'meta', 'tiktok', 'microsoft'] as const;
export type AdPlatform = (typeof AD_PLATFORMS)[number];

/** How GET …/ip-exclusions answers: JSON, or `text`, one entry per line to paste into Google Ads. */
export const IP_EXCLUSION_FORMATS = ['json', 'text'] as const;
