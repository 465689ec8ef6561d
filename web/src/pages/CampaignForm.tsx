import { useRef, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, call, errorMessage, type Campaign } from '../api/client';
import {
  CAMPAIGN_STATUS_LABELS,
  COST_MODEL_LABELS,
  DEVICE_TYPES,
  FRAUD_ACTION_LABELS,
  FRAUD_TYPES,
  optionsOf,
  type CampaignStatus,
  type CostModel,
  type DeviceType,
  type FraudAction,
  type FraudType,
} from '../api/enums';
import { ErrorBox, Loading } from '../ui';
import { draftToFlow, flowToDraft, type FlowDraft } from '../flow-draft';
import { FlowEditor } from './FlowEditor';

const MACROS = [
  'clickid',
  'campaign_id',
  'country',
  'device',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'gclid',
] as const;
const DEFAULT_BLOCKED = FRAUD_TYPES.filter((type) => type !== 'duplicate');

/** What a visitor's click would fill in, to preview the destination (the tracker encodes the same way). */
const SAMPLE: Record<string, string> = {
  clickid: 'clk_7Hq2xV9mKp3RtY8wZb4N1c',
  country: 'US',
  device: 'mobile',
  sub1: 'summer-sale',
  sub2: 'ad 42',
  gclid: 'EAIaIQobChMI',
};

export function previewDestination(template: string, campaignId: number | undefined): string {
  const values: Record<string, string> = { ...SAMPLE, campaign_id: String(campaignId ?? 123) };
  return template.replace(/\{([a-z0-9_]{1,64})\}/gi, (_m, name: string) =>
    encodeURIComponent(values[name.toLowerCase()] ?? ''),
  );
}

const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);

interface FormState {
  name: string;
  status: CampaignStatus;
  traffic_source_id: string;
  cost_model: CostModel;
  cost_value: string;
  destination_url: string;
  allowed_countries: string;
  blocked_countries: string;
  allowed_devices: DeviceType[];
  ip_blocklist: string;
  fraud_action: FraudAction;
  blocked_fraud_types: FraudType[];
  allow_repeat_conversions: boolean;
  min_time_to_convert: string;
  require_beacon: boolean;
  google_ads_campaign_id: string;
}

function initialState(campaign?: Campaign): FormState {
  return {
    name: campaign?.name ?? '',
    status: campaign?.status ?? 'active',
    traffic_source_id: campaign?.traffic_source_id ? String(campaign.traffic_source_id) : '',
    cost_model: campaign?.cost_model ?? 'cpc',
    cost_value: String(campaign?.cost_value ?? 0),
    destination_url: campaign?.destination_url ?? '',
    allowed_countries: campaign?.allowed_countries.join(', ') ?? '',
    blocked_countries: campaign?.blocked_countries.join(', ') ?? '',
    allowed_devices: (campaign?.allowed_devices ?? []) as DeviceType[],
    ip_blocklist: campaign?.ip_blocklist.join('\n') ?? '',
    fraud_action: campaign?.fraud_action ?? 'monitor',
    blocked_fraud_types: (campaign?.blocked_fraud_types ?? DEFAULT_BLOCKED) as FraudType[],
    allow_repeat_conversions: campaign?.allow_repeat_conversions ?? false,
    min_time_to_convert: String(campaign?.min_time_to_convert ?? 3),
    require_beacon: campaign?.require_beacon ?? false,
    google_ads_campaign_id: campaign?.google_ads_campaign_id ?? '',
  };
}

export function CampaignForm({ id }: { id?: number }) {
  const existing = useQuery({
    queryKey: ['campaign', id],
    queryFn: () => call(api.GET('/api/v1/campaigns/{id}', { params: { path: { id: id! } } })),
    enabled: id !== undefined,
  });
  if (id !== undefined && existing.isPending) return <Loading what="Loading the campaign" />;
  if (existing.isError) return <ErrorBox error={existing.error} />;
  return <Form key={id ?? 'new'} campaign={existing.data?.data} />;
}

function Form({ campaign }: { campaign?: Campaign }) {
  const [state, setState] = useState(() => initialState(campaign));
  const [flow, setFlow] = useState<FlowDraft>(() => flowToDraft(campaign?.flow));
  const [, navigate] = useLocation();
  const destination = useRef<HTMLInputElement>(null);
  const queryClient = useQueryClient();
  const sources = useQuery({
    queryKey: ['traffic-sources'],
    queryFn: () => call(api.GET('/api/v1/traffic-sources', { params: { query: { per_page: 100 } } })),
  });
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setState((current) => ({ ...current, [key]: value }));
  const toggle = <T extends string>(values: T[], value: T) =>
    values.includes(value) ? values.filter((v) => v !== value) : [...values, value];

  const save = useMutation({
    mutationFn: async () => {
      const body = {
        name: state.name.trim(),
        status: state.status,
        traffic_source_id: state.traffic_source_id ? Number(state.traffic_source_id) : null,
        cost_model: state.cost_model,
        cost_value: Number(state.cost_value || 0),
        destination_url: state.destination_url.trim() || null,
        allowed_countries: list(state.allowed_countries).map((c) => c.toUpperCase()),
        blocked_countries: list(state.blocked_countries).map((c) => c.toUpperCase()),
        allowed_devices: state.allowed_devices,
        ip_blocklist: list(state.ip_blocklist),
        fraud_action: state.fraud_action,
        blocked_fraud_types: state.blocked_fraud_types,
        allow_repeat_conversions: state.allow_repeat_conversions,
        // Sent as typed (a number when it reads as one): the API names a bad value, the form does not guess.
        min_time_to_convert: state.min_time_to_convert.trim() === '' ? 3 : Number(state.min_time_to_convert),
        require_beacon: state.require_beacon,
        // Dashes as the Google Ads UI may show them are dropped; empty unlinks the campaign.
        google_ads_campaign_id: state.google_ads_campaign_id.replace(/[\s-]/g, '') || null,
        // Unchecking the flow removes it: the campaign goes back to its destination URL.
        flow: flow.enabled ? draftToFlow(flow) : null,
      };
      return campaign
        ? call(api.PUT('/api/v1/campaigns/{id}', { params: { path: { id: campaign.id } }, body }))
        : call(api.POST('/api/v1/campaigns', { body }));
    },
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      await queryClient.invalidateQueries({ queryKey: ['campaign', result.data.id] });
      navigate(`/campaigns/${result.data.id}`);
    },
  });

  const insertMacro = (macro: string) => {
    const input = destination.current;
    const text = `{${macro}}`;
    const start = input?.selectionStart ?? state.destination_url.length;
    const end = input?.selectionEnd ?? start;
    set('destination_url', state.destination_url.slice(0, start) + text + state.destination_url.slice(end));
    requestAnimationFrame(() => {
      input?.focus();
      input?.setSelectionRange(start + text.length, start + text.length);
    });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <>
      <h1>{campaign ? `Edit “${campaign.name}”` : 'New campaign'}</h1>
      <form className="panel" onSubmit={submit}>
        <div className="field">
          <label htmlFor="name">Name</label>
          <input id="name" required maxLength={200} value={state.name} onChange={(e) => set('name', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="destination">
            Destination URL{' '}
            <span className="hint">
              where visitors go (unless the flow below is on); macros are filled in per click
            </span>
          </label>
          <input
            id="destination"
            ref={destination}
            type="url"
            placeholder="https://shop.example/landing?cid={clickid}"
            value={state.destination_url}
            onChange={(e) => set('destination_url', e.target.value)}
          />
          <div className="macros" role="group" aria-label="Insert a macro">
            {MACROS.map((macro) => (
              <button
                key={macro}
                type="button"
                className="secondary small"
                onClick={() => insertMacro(macro)}
              >{`{${macro}}`}</button>
            ))}
          </div>
          {state.destination_url && (
            <p className="hint">
              Preview with a sample click:{' '}
              <code data-testid="destination-preview">{previewDestination(state.destination_url, campaign?.id)}</code>
            </p>
          )}
          <p className="hint">
            Any incoming query parameter works as a macro too, e.g. <code>{'{utm_source}'}</code>; unknown macros become
            empty.
          </p>
        </div>
        <div className="row">
          <div className="field">
            <label htmlFor="status">Status</label>
            <select
              id="status"
              value={state.status}
              onChange={(e) => set('status', e.target.value as FormState['status'])}
            >
              {optionsOf(CAMPAIGN_STATUS_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="source">Traffic source</label>
            <select
              id="source"
              value={state.traffic_source_id}
              onChange={(e) => set('traffic_source_id', e.target.value)}
            >
              <option value="">none</option>
              {sources.data?.data.map((source) => (
                <option key={source.id} value={source.id}>
                  {source.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="cost-model">Cost model</label>
            <select
              id="cost-model"
              value={state.cost_model}
              onChange={(e) => set('cost_model', e.target.value as FormState['cost_model'])}
            >
              {optionsOf(COST_MODEL_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="cost-value">Cost value</label>
            <input
              id="cost-value"
              type="number"
              min={0}
              step="0.0001"
              value={state.cost_value}
              onChange={(e) => set('cost_value', e.target.value)}
            />
          </div>
        </div>
        <fieldset>
          <legend>
            Targeting <span className="hint">visitors held back are recorded as “cloaked”</span>
          </legend>
          <div className="row">
            <div className="field">
              <label htmlFor="allowed-countries">
                Allowed countries <span className="hint">ISO codes, e.g. US, GB; empty = all</span>
              </label>
              <input
                id="allowed-countries"
                value={state.allowed_countries}
                onChange={(e) => set('allowed_countries', e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="blocked-countries">Blocked countries</label>
              <input
                id="blocked-countries"
                value={state.blocked_countries}
                onChange={(e) => set('blocked_countries', e.target.value)}
              />
            </div>
          </div>
          <div className="field" role="group" aria-labelledby="devices-label">
            <span id="devices-label" className="hint">
              Allowed devices (none checked = all)
            </span>
            <div>
              {DEVICE_TYPES.map((device) => (
                <label key={device} className="check">
                  <input
                    type="checkbox"
                    checked={state.allowed_devices.includes(device)}
                    onChange={() => set('allowed_devices', toggle(state.allowed_devices, device))}
                  />
                  {device}
                </label>
              ))}
            </div>
          </div>
          <div className="field">
            <label htmlFor="ip-blocklist">
              IP blocklist <span className="hint">one address or CIDR per line</span>
            </label>
            <textarea
              id="ip-blocklist"
              rows={3}
              value={state.ip_blocklist}
              onChange={(e) => set('ip_blocklist', e.target.value)}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>Fraud</legend>
          <div className="field" role="radiogroup" aria-label="Fraud action">
            {optionsOf(FRAUD_ACTION_LABELS).map(([value, label]) => (
              <label key={value} className="check">
                <input
                  type="radio"
                  name="fraud-action"
                  checked={state.fraud_action === value}
                  onChange={() => set('fraud_action', value)}
                />
                {label}
              </label>
            ))}
          </div>
          <div role="group" aria-label="Blocked fraud types">
            {FRAUD_TYPES.map((type) => (
              <label key={type} className="check">
                <input
                  type="checkbox"
                  checked={state.blocked_fraud_types.includes(type)}
                  onChange={() => set('blocked_fraud_types', toggle(state.blocked_fraud_types, type))}
                />
                {type}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>Conversions</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={state.allow_repeat_conversions}
              onChange={(e) => set('allow_repeat_conversions', e.target.checked)}
            />
            Count repeat conversions of a click (rebills): each new txid counts. Off, a click converts once, so a forged
            postback with a new txid changes nothing.
          </label>
          <div className="field" style={{ maxWidth: 320 }}>
            <label htmlFor="min-time-to-convert">
              Minimum time to convert <span className="hint">seconds; 0 = off</span>
            </label>
            <input
              id="min-time-to-convert"
              type="number"
              min={0}
              max={3600}
              step={1}
              value={state.min_time_to_convert}
              onChange={(e) => set('min_time_to_convert', e.target.value)}
            />
            <span className="hint">
              A conversion sooner than this after its click is marked suspicious (no person fills a form that fast). It
              still counts, and is not sent to the traffic source unless the source sends fraudulent conversions.
            </span>
          </div>
          <label className="check">
            <input
              type="checkbox"
              checked={state.require_beacon}
              onChange={(e) => set('require_beacon', e.target.checked)}
            />
            Require the lander tag: every page of this campaign includes PUBLIC_URL/t.js, so a click whose page sent no
            beacon within an hour is flagged bot. Off, a missing beacon is only shown on the click.
          </label>
          <div className="field" style={{ maxWidth: 320 }}>
            <label htmlFor="google-ads-campaign-id">
              Google Ads campaign id <span className="hint">optional</span>
            </label>
            <input
              id="google-ads-campaign-id"
              inputMode="numeric"
              value={state.google_ads_campaign_id}
              onChange={(e) => set('google_ads_campaign_id', e.target.value)}
            />
            <span className="hint">
              With a Google Ads connection, this campaign&apos;s fraudulent addresses are excluded in that Google Ads
              campaign (at most 500, most costly first).
            </span>
          </div>
        </fieldset>
        <FlowEditor
          draft={flow}
          onChange={setFlow}
          details={save.error instanceof ApiError ? save.error.details : undefined}
        />
        {save.isError && (
          <div className="error" role="alert">
            {errorMessage(save.error)}
          </div>
        )}
        <div className="row">
          <button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : campaign ? 'Save changes' : 'Create campaign'}
          </button>
          <Link href={campaign ? `/campaigns/${campaign.id}` : '/campaigns'} className="button secondary">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
