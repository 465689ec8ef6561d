import type { ConnectionPlatform } from './connection.enums.ts';
import type { ConnectionLogRow, ConnectionRow } from './connection.table.ts';

/** What a connection stores in clear and shows: no secret is here. */
export interface ConnectionSettings {
  customer_id?: string;
  login_customer_id?: string;
  conversion_action_id?: string;
  pixel_id?: string;
  test_event_code?: string;
  currency: string;
}

/** The secret fields of each platform, all required at creation. */
export const CREDENTIAL_FIELDS: Readonly<Record<ConnectionPlatform, readonly string[]>> = {
  google: ['client_id', 'client_secret', 'refresh_token', 'developer_token'],
  meta: ['access_token'],
};

export const DEFAULT_CURRENCY = 'USD';

export function parseSettings(row: Pick<ConnectionRow, 'settings'>): ConnectionSettings {
  return { currency: DEFAULT_CURRENCY, ...(JSON.parse(row.settings) as Partial<ConnectionSettings>) };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toConnection(row: ConnectionRow) {
  const settings = parseSettings(row);
  return {
    id: row.id,
    platform: row.platform,
    name: row.name,
    status: row.status,
    last_error: row.last_error,
    last_error_at: iso(row.last_error_at),
    last_success_at: iso(row.last_success_at),
    customer_id: settings.customer_id ?? null,
    login_customer_id: settings.login_customer_id ?? null,
    conversion_action_id: settings.conversion_action_id ?? null,
    pixel_id: settings.pixel_id ?? null,
    test_event_code: settings.test_event_code ?? null,
    currency: settings.currency,
    // Which secrets are stored, never their values (SPEC section 12).
    credentials_set: [...CREDENTIAL_FIELDS[row.platform]],
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

export type Connection = ReturnType<typeof toConnection>;

const parseJson = (text: string | null): unknown => (text === null ? null : (JSON.parse(text) as unknown));

export function toLogEntry(row: ConnectionLogRow) {
  return {
    id: row.id,
    job_id: row.job_id,
    at: new Date(row.at).toISOString(),
    action: row.action,
    outcome: row.outcome,
    status_code: row.status_code,
    message: row.message,
    request: parseJson(row.request),
    response: row.response,
    changes: parseJson(row.changes),
  };
}

export type ConnectionLogEntry = ReturnType<typeof toLogEntry>;
