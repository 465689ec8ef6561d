import type { ConversionRow } from '../conversions/conversion.table.ts';

/** What a conversion's payload needs of its click. */
export interface PushClick {
  id: string;
  created_at: number;
  ip: string;
  user_agent: string;
  /** The stored query parameters (JSON): gclid, gbraid, wbraid, fbclid live there. */
  query: string;
}

export interface PlatformClickIds {
  gclid?: string;
  gbraid?: string;
  wbraid?: string;
  fbclid?: string;
}

const CLICK_ID_NAMES = ['gclid', 'gbraid', 'wbraid', 'fbclid'] as const;

export function platformClickIds(queryJson: string): PlatformClickIds {
  let query: unknown;
  try {
    query = JSON.parse(queryJson);
  } catch {
    return {};
  }
  const ids: PlatformClickIds = {};
  if (typeof query !== 'object' || query === null) return ids;
  for (const name of CLICK_ID_NAMES) {
    const value = (query as Record<string, unknown>)[name];
    if (typeof value === 'string' && value.length > 0) ids[name] = value;
  }
  return ids;
}

export const hasGoogleClickId = (ids: PlatformClickIds) => Boolean(ids.gclid ?? ids.gbraid ?? ids.wbraid);

/**
 * The conversion's id on the platforms: Google's orderId and Meta's event_id. The transaction id
 * when the network sent one, else `cr_<click id>_<event>` — a click converts once per event without
 * a transaction id, and the lander tag knows both (its cookie and the event it reports), so its
 * browser event carries the same id and Meta keeps one of the two.
 */
export function platformEventId(conversion: Pick<ConversionRow, 'transaction_id' | 'click_id' | 'event'>): string {
  return conversion.transaction_id ?? `cr_${conversion.click_id}_${conversion.event}`;
}

/** "yyyy-mm-dd hh:mm:ss+00:00", the ClickConversion's conversionDateTime, in UTC. */
export function googleDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}

/** The Google Ads ClickConversion of a conversion (one click id: gclid, else gbraid, else wbraid). */
export function googleClickConversion(
  conversion: ConversionRow,
  ids: PlatformClickIds,
  conversionAction: string,
  currency: string,
): Record<string, unknown> {
  const clickId = ids.gclid ? { gclid: ids.gclid } : ids.gbraid ? { gbraid: ids.gbraid } : { wbraid: ids.wbraid };
  return {
    ...clickId,
    conversionAction,
    conversionDateTime: googleDateTime(conversion.created_at),
    conversionValue: conversion.payout,
    currencyCode: currency,
    orderId: platformEventId(conversion),
  };
}

/**
 * Meta's standard event for a conversion's `event`; an event of ours without a standard match is
 * sent under its own name (a custom event). `conversion`, the default, is a Purchase.
 */
const META_EVENTS: Readonly<Record<string, string>> = {
  conversion: 'Purchase',
  sale: 'Purchase',
  purchase: 'Purchase',
  lead: 'Lead',
  registration: 'CompleteRegistration',
  complete_registration: 'CompleteRegistration',
  signup: 'CompleteRegistration',
  subscribe: 'Subscribe',
  trial: 'StartTrial',
  start_trial: 'StartTrial',
  add_to_cart: 'AddToCart',
  checkout: 'InitiateCheckout',
  initiate_checkout: 'InitiateCheckout',
  contact: 'Contact',
  install: 'AppInstall',
  submit_application: 'SubmitApplication',
};

export const metaEventName = (event: string) => META_EVENTS[event] ?? event;

/** Meta takes events up to 7 days old; an older one fails the whole request, so it is not sent. */
export const META_MAX_EVENT_AGE_MS = 7 * 86_400_000;

/**
 * One Conversions API event. `fbc` is `fb.1.<ms of the click>.<fbclid>`, as Meta's pixel writes the
 * _fbc cookie (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc).
 */
export function metaEvent(
  conversion: ConversionRow,
  click: PushClick,
  fbclid: string,
  currency: string,
): Record<string, unknown> {
  return {
    event_name: metaEventName(conversion.event),
    event_time: Math.floor(conversion.created_at / 1000),
    event_id: platformEventId(conversion),
    action_source: 'website',
    user_data: {
      fbc: `fb.1.${click.created_at}.${fbclid}`,
      client_ip_address: click.ip,
      client_user_agent: click.user_agent,
    },
    custom_data: { value: conversion.payout, currency },
  };
}
