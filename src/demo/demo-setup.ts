/**
 * The demo account, its traffic sources and campaigns, made (or found again) through the REST API
 * exactly as a user's script would: nothing is written to the database behind the API's back.
 */
import { CLICK_ID_PARAM } from './traffic-runner.ts';
import { callApi, type Transport } from './transport.ts';
import type { Platform, SimCampaign } from './types.ts';

/** A mistake or refusal the demo reports as one line. */
export class DemoError extends Error {}

interface ApiError {
  error?: { code?: string; message?: string };
}

function describe(json: ApiError, status: number): string {
  return json.error?.message ? `${json.error.message} (${json.error.code ?? status})` : `HTTP ${status}`;
}

export interface DemoSession {
  readonly token: string;
  readonly userId: number;
  readonly email: string;
  /** Whether this run registered the account. */
  readonly created: boolean;
  readonly postbackTokenRequired: boolean;
}

export async function signInOrRegister(
  transport: Transport,
  email: string,
  password: string,
  passwordGiven: boolean,
): Promise<DemoSession> {
  const signIn = await callApi<{ token?: string } & ApiError>(transport, 'POST', '/api/v1/auth/token', {
    body: { email, password },
  });
  let token = signIn.json.token;
  let created = false;
  if (signIn.status !== 200 || !token) {
    if (signIn.status !== 401)
      throw new DemoError(`signing in as ${email} failed: ${describe(signIn.json, signIn.status)}`);
    const register = await callApi<{ token?: string } & ApiError>(transport, 'POST', '/api/v1/auth/register', {
      body: { email, password },
    });
    if (register.status !== 201 || !register.json.token) {
      if (/already registered/i.test(register.json.error?.message ?? '')) {
        throw new DemoError(
          passwordGiven
            ? `${email} exists and the password does not match`
            : `${email} already exists: pass its --password (the demo printed it when it created the account), or another --email`,
        );
      }
      throw new DemoError(`registering ${email} failed: ${describe(register.json, register.status)}`);
    }
    token = register.json.token;
    created = true;
  }
  const account = await callApi<{ data?: { id: number; postback_token_required: boolean } } & ApiError>(
    transport,
    'GET',
    '/api/v1/account',
    { token },
  );
  if (account.status !== 200 || !account.json.data)
    throw new DemoError(`reading the account failed: ${describe(account.json, account.status)}`);
  return {
    token,
    userId: account.json.data.id,
    email,
    created,
    postbackTokenRequired: account.json.data.postback_token_required,
  };
}

const SOURCE_NAMES: Readonly<Record<Platform, string>> = {
  google: 'Google Ads (demo)',
  meta: 'Meta Ads (demo)',
  tiktok: 'TikTok Ads (demo)',
  microsoft: 'Microsoft Ads (demo)',
};
const CLICK_ID_MACRO: Readonly<Record<Platform, string>> = {
  google: 'gclid',
  meta: 'fbclid',
  tiktok: 'ttclid',
  microsoft: 'msclkid',
};

/** What the demo sets on a campaign besides its name; `targeted` adds the demo's targeting examples. */
function campaignFields(campaign: SimCampaign, trafficSourceId: number, targeted: boolean): Record<string, unknown> {
  const destination =
    `https://shop.example.com/running?${CLICK_ID_PARAM}={clickid}&campaign={campaign_id}&country={country}&device={device}` +
    `&adgroup={sub1}&kw={sub2}&${CLICK_ID_MACRO[campaign.platform]}={${CLICK_ID_MACRO[campaign.platform]}}`;
  const cpc = campaign.platform === 'google' ? 0.85 : 0.4;
  return {
    name: campaign.name,
    traffic_source_id: trafficSourceId,
    cost_model: 'cpc',
    cost_value: cpc,
    status: 'active',
    destination_url: destination,
    // App-install campaigns want phones and tablets: desktop visitors are held back (status cloaked).
    ...(targeted && campaign.platform === 'meta' ? { allowed_devices: ['mobile', 'tablet'] } : {}),
  };
}

interface Listed {
  id: number;
  name: string;
  uuid?: string;
  status?: string;
  platform?: string;
}

async function listAll(transport: Transport, token: string, path: string): Promise<Listed[]> {
  const response = await callApi<{ data?: Listed[] } & ApiError>(transport, 'GET', `${path}?per_page=100`, { token });
  if (response.status !== 200 || !response.json.data)
    throw new DemoError(`GET ${path} failed: ${describe(response.json, response.status)}`);
  return response.json.data;
}

export interface DemoCampaign {
  readonly key: string;
  readonly id: number;
  readonly uuid: string;
  readonly name: string;
  readonly created: boolean;
}

/** Finds the demo's traffic sources and campaigns by name, creating the missing ones; campaigns end up active. */
export async function ensureCampaigns(
  transport: Transport,
  token: string,
  campaigns: readonly SimCampaign[],
  options: { targeted: boolean },
): Promise<DemoCampaign[]> {
  const sources = await listAll(transport, token, '/api/v1/traffic-sources');
  const sourceIds = new Map<Platform, number>();
  for (const platform of new Set(campaigns.map((campaign) => campaign.platform))) {
    const existing = sources.find((source) => source.name === SOURCE_NAMES[platform] && source.platform === platform);
    if (existing) {
      sourceIds.set(platform, existing.id);
      continue;
    }
    const created = await callApi<{ data?: Listed } & ApiError>(transport, 'POST', '/api/v1/traffic-sources', {
      token,
      body: { name: SOURCE_NAMES[platform], platform },
    });
    if (created.status !== 201 || !created.json.data)
      throw new DemoError(`creating the ${platform} traffic source failed: ${describe(created.json, created.status)}`);
    sourceIds.set(platform, created.json.data.id);
  }

  const listed = await listAll(transport, token, '/api/v1/campaigns');
  const result: DemoCampaign[] = [];
  for (const campaign of campaigns) {
    const fields = campaignFields(campaign, sourceIds.get(campaign.platform)!, options.targeted);
    const existing = listed.find((candidate) => candidate.name === campaign.name);
    if (existing?.uuid) {
      if (existing.status !== 'active') {
        const updated = await callApi<ApiError>(transport, 'PUT', `/api/v1/campaigns/${existing.id}`, {
          token,
          body: { status: 'active' },
        });
        if (updated.status !== 200)
          throw new DemoError(
            `re-activating campaign "${campaign.name}" failed: ${describe(updated.json, updated.status)}`,
          );
      }
      result.push({ key: campaign.key, id: existing.id, uuid: existing.uuid, name: campaign.name, created: false });
      continue;
    }
    const created = await callApi<{ data?: Listed } & ApiError>(transport, 'POST', '/api/v1/campaigns', {
      token,
      body: fields,
    });
    if (created.status !== 201 || !created.json.data?.uuid)
      throw new DemoError(`creating campaign "${campaign.name}" failed: ${describe(created.json, created.status)}`);
    result.push({
      key: campaign.key,
      id: created.json.data.id,
      uuid: created.json.data.uuid,
      name: campaign.name,
      created: true,
    });
  }
  return result;
}
