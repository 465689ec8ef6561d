import type { Static } from 'typebox';
import type { ClickDetailSchema, ClickSummarySchema } from '../../schemas/click.ts';
import type { ClickWithConversion } from './click.repository.ts';
import type { Reason } from '../../detection/index.ts';
import type { ClickRow, NewClickRow } from './click.table.ts';
import type { SubIdName } from './click.enums.ts';
import { BEACON_WINDOW_MS } from '../../detection/index.ts';
import { beaconStateOf, type StoredBeacon } from './beacon.ts';

/** Lists show where a click came from, not who: 192.168.x.x, and an IPv6 address cut to its /32. */
export function maskIp(ip: string): string {
  if (ip.includes('.') && !ip.includes(':')) return ip.split('.').slice(0, 2).concat('x', 'x').join('.');
  // What precedes "::" is the address's head; the groups "::" stands for are zeros.
  const shown = (ip.split('::')[0] ?? '').split(':').filter(Boolean).slice(0, 2);
  while (shown.length < 2) shown.push('0');
  return `${shown.join(':')}:x:x:x:x:x:x`;
}

export type ClickSummary = Static<typeof ClickSummarySchema>;
export type ClickDetail = Static<typeof ClickDetailSchema>;

/** The row's sub ids; rows the live feed gets straight from the recorder lack those the URL did not pass. */
export function subIdsOf(row: Partial<Pick<ClickRow, SubIdName>>): Record<SubIdName, string | null> {
  return {
    sub1: row.sub1 ?? null,
    sub2: row.sub2 ?? null,
    sub3: row.sub3 ?? null,
    sub4: row.sub4 ?? null,
    sub5: row.sub5 ?? null,
    sub6: row.sub6 ?? null,
    sub7: row.sub7 ?? null,
    sub8: row.sub8 ?? null,
    sub9: row.sub9 ?? null,
    sub10: row.sub10 ?? null,
  };
}

export function toClickSummary(row: ClickWithConversion): ClickSummary {
  return {
    id: row.id,
    campaign_id: row.campaign_id,
    ip: maskIp(row.ip),
    country: row.country,
    city: row.city,
    device: row.device,
    os: row.os,
    browser: row.browser,
    status: row.status,
    is_bot: row.is_bot === 1,
    is_vpn: row.is_vpn === 1,
    converted: Number(row.converted) === 1,
    fraud_types: JSON.parse(row.fraud_types) as string[],
    fraud_score: row.fraud_score,
    action: row.action,
    // Rows the live feed gets straight from the recorder lack the columns when no source set them.
    external_id: row.external_id ?? null,
    placement: row.placement ?? null,
    cost: row.cost ?? null,
    cost_source: row.cost_source ?? null,
    ...subIdsOf(row),
    created_at: new Date(row.created_at).toISOString(),
  };
}

/** `now` says whether a click without a beacon still waits for one (its first hour) or missed it. */
export function toClickDetail(row: ClickWithConversion, now = Date.now()): ClickDetail {
  return {
    ...toClickSummary(row),
    ip: row.ip,
    region: row.region,
    asn: row.asn,
    as_org: row.as_org,
    user_agent: row.user_agent,
    referrer: row.referrer,
    query: JSON.parse(row.query) as Record<string, string>,
    platform_click_id: row.platform_click_id,
    is_verified_bot: row.is_verified_bot === 1,
    is_duplicate: row.is_unique === 0,
    primary_fraud_type: row.primary_fraud_type,
    reasons: JSON.parse(row.reasons) as Reason[],
    rule: row.rule ?? null,
    path: row.path === null || row.path === undefined ? null : Number(row.path),
    lander_id: row.lander_id === null || row.lander_id === undefined ? null : Number(row.lander_id),
    offer_id: row.offer_id === null || row.offer_id === undefined ? null : Number(row.offer_id),
    lp_clicked_at:
      row.lp_clicked_at === null || row.lp_clicked_at === undefined
        ? null
        : new Date(Number(row.lp_clicked_at)).toISOString(),
    beacon: row.beacon ? presentBeacon(JSON.parse(row.beacon) as StoredBeacon) : null,
    beacon_state: beaconStateOf(row.beacon, Number(row.created_at), now, BEACON_WINDOW_MS),
  };
}

function presentBeacon(beacon: StoredBeacon): NonNullable<ClickDetail['beacon']> {
  return {
    ...beacon,
    received_at: new Date(beacon.received_at).toISOString(),
    updated_at: new Date(beacon.updated_at).toISOString(),
  };
}

/**
 * A click as the live feed sends it: the list's shape (IP masked) with its verdict and reasons.
 * Rows come straight from the recorder's batch (complete, though typed Insertable), so `converted`
 * is what the caller knows: false for a click just recorded.
 */
export function toClickEvent(row: NewClickRow | ClickRow, converted = false) {
  const full = row as ClickRow;
  return {
    ...toClickSummary({ ...full, converted: converted ? 1 : 0 }),
    primary_fraud_type: full.primary_fraud_type,
    reasons: JSON.parse(full.reasons) as Reason[],
  };
}

export type ClickEvent = ReturnType<typeof toClickEvent>;
