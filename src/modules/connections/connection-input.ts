import { AppError, type ErrorDetails } from '../../errors.ts';
import type { ConnectionPlatform } from './connection.enums.ts';
import { CREDENTIAL_FIELDS, type ConnectionSettings } from './connection.ts';

export interface ConnectionInput {
  name?: string;
  customer_id?: string | null;
  login_customer_id?: string | null;
  conversion_action_id?: string | null;
  pixel_id?: string | null;
  test_event_code?: string | null;
  currency?: string;
  credentials?: Record<string, string>;
}

/** `123-456-7890` as the Google Ads UI shows it, or digits. */
const digits = (value: string) => value.replace(/-/g, '');

const GOOGLE_ONLY = ['customer_id', 'login_customer_id', 'conversion_action_id'] as const;
const META_ONLY = ['pixel_id', 'test_event_code'] as const;

/**
 * The settings after `input` is applied to `current`, checked for the platform; every problem is
 * reported at once, by field. Null clears an optional field.
 */
export function checkConnectionInput(
  platform: ConnectionPlatform,
  input: ConnectionInput,
  current: ConnectionSettings | null,
): { settings: ConnectionSettings; credentials: Record<string, string> | null } {
  const details: ErrorDetails = {};
  const settings: ConnectionSettings = { ...(current ?? { currency: 'USD' }) };
  const apply = (name: keyof Omit<ConnectionSettings, 'currency'>, value: string | null | undefined) => {
    if (value === undefined) return;
    if (value === null || value === '') delete settings[name];
    else settings[name] = /_id$/.test(name) ? digits(value) : value;
  };
  for (const name of [...GOOGLE_ONLY, ...META_ONLY]) apply(name, input[name]);
  if (input.currency !== undefined) settings.currency = input.currency.toUpperCase();
  const foreign = platform === 'google' ? META_ONLY : GOOGLE_ONLY;
  for (const name of foreign)
    if (input[name] !== undefined && input[name] !== null)
      details[name] = [`not a setting of a ${platform} connection`];
  if (platform === 'google') {
    if (!settings.customer_id) details.customer_id = ['required for a google connection'];
    for (const name of GOOGLE_ONLY)
      if (settings[name] !== undefined && !/^\d{1,20}$/.test(settings[name]))
        details[name] = ['digits only (dashes are allowed: 123-456-7890)'];
  } else {
    if (!settings.pixel_id) details.pixel_id = ['required for a meta connection'];
    else if (!/^\d{1,20}$/.test(settings.pixel_id)) details.pixel_id = ['digits only'];
  }
  let credentials: Record<string, string> | null = null;
  if (input.credentials !== undefined) {
    const allowed = CREDENTIAL_FIELDS[platform];
    for (const name of Object.keys(input.credentials))
      if (!allowed.includes(name)) details[`credentials.${name}`] = [`not a credential of a ${platform} connection`];
    if (current === null)
      for (const name of allowed) if (!input.credentials[name]) details[`credentials.${name}`] = ['required'];
    credentials = input.credentials;
  } else if (current === null) details.credentials = ['required'];
  if (Object.keys(details).length > 0) throw new AppError('VALIDATION_ERROR', 'The connection is not valid', details);
  return { settings, credentials };
}
