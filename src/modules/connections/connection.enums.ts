/** The ad platforms a workspace can connect (SPEC section 12). */
export const CONNECTION_PLATFORMS = ['google', 'meta'] as const;
export type ConnectionPlatform = (typeof CONNECTION_PLATFORMS)[number];

/** `needs_attention`: the platform refused the credentials; its jobs wait until they are replaced or a test passes. */
export const CONNECTION_STATUSES = ['ok', 'needs_attention'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** What one outbox job does: upload a conversion, or bring a campaign's IP exclusions up to date. */
export const CONNECTION_JOB_KINDS = ['conversion', 'exclusions'] as const;
export type ConnectionJobKind = (typeof CONNECTION_JOB_KINDS)[number];

/** `skipped`: nothing to send (no click id of that platform, too old for it, campaign not linked). */
export const CONNECTION_JOB_STATUSES = ['pending', 'done', 'skipped', 'failed'] as const;
export type ConnectionJobStatus = (typeof CONNECTION_JOB_STATUSES)[number];

/** How one logged call ended. `retry`: tried again later (quota, 5xx, timeout). */
export const CONNECTION_LOG_OUTCOMES = ['ok', 'partial', 'retry', 'error', 'skipped'] as const;
export type ConnectionLogOutcome = (typeof CONNECTION_LOG_OUTCOMES)[number];
