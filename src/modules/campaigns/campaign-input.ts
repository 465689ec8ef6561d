import { AppError, type ErrorDetails } from '../../errors.ts';
import { validateDestinationTemplate } from './destination.ts';
import { parseIpRange } from '../../detection/cidr.ts';
import type { Flow } from '../flows/flow.ts';

export interface CampaignInput {
  name?: string;
  traffic_source_id?: number | null;
  cost_model?: string;
  cost_value?: number;
  status?: string;
  destination_url?: string | null;
  allowed_countries?: string[];
  blocked_countries?: string[];
  allowed_devices?: string[];
  ip_blocklist?: string[];
  fraud_action?: string;
  blocked_fraud_types?: string[];
  allow_repeat_conversions?: boolean;
  min_time_to_convert?: number;
  require_beacon?: boolean;
  /** Null removes the flow: the campaign goes back to destination_url. */
  flow?: Flow | null;
  /** Null unlinks the campaign from Google Ads. */
  google_ads_campaign_id?: string | null;
}

/** Countries are ISO 3166-1 alpha-2; "UK" is accepted as the common name for GB. */
export function normalizeCountry(code: string): string {
  const upper = code.toUpperCase();
  return upper === 'UK' ? 'GB' : upper;
}

/** The checks a JSON schema cannot express; all problems are reported at once, per field. */
export function checkCampaignInput(input: CampaignInput): void {
  const details: ErrorDetails = {};
  if (input.destination_url) {
    const problem = validateDestinationTemplate(input.destination_url);
    if (problem) details.destination_url = [problem];
  }
  const badEntries = (input.ip_blocklist ?? []).filter((entry) => parseIpRange(entry) === null);
  if (badEntries.length > 0)
    details.ip_blocklist = badEntries.map((entry) => `"${entry}" is not an IP address or CIDR range`);
  if (Object.keys(details).length > 0) {
    throw new AppError('VALIDATION_ERROR', Object.values(details)[0]?.[0] ?? 'Invalid campaign', details);
  }
}
