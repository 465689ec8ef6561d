/** The one list of each flow value (SPEC section 8): the tables, the schemas and the router derive from them. */
export const OFFER_STATUSES = ['active', 'paused'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** `weights`: the configured shares; `auto`: shares moved toward the better EPC (flow-rotation.ts). */
export const ROTATIONS = ['weights', 'auto'] as const;
export type Rotation = (typeof ROTATIONS)[number];

/** A visitor's connection: a mobile carrier's network, or anything else. */
export const CONNECTIONS = ['mobile', 'broadband'] as const;
export type Connection = (typeof CONNECTIONS)[number];

/** ISO order (Monday first), UTC. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * What a rule's `when` may name. Only what the visitor's request says about them: never the verdict,
 * the IP lists or anything the detector found (the product boundary, SPEC section 8).
 */
export const CONDITION_FIELDS = [
  'country',
  'device',
  'os',
  'browser',
  'language',
  'connection',
  'params',
  'weekday',
  'hour',
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

export const MAX_FLOW_RULES = 100;
export const MAX_FLOW_PATHS = 20;
export const MAX_PATH_OFFERS = 20;
/** The rule name a click records when no rule matched and it took the flow's default paths. */
export const DEFAULT_RULE_NAME = 'default';
