import type { ConversionStatus } from '../conversions/conversion.enums.ts';
import { substituteMacros, templateMacros, type MacroValues } from './postback-url.ts';

/** What a decision needs of the source: its template and its sending rules. */
export interface PostbackTarget {
  readonly sourceId: number;
  readonly userId: number;
  readonly template: string;
  readonly statuses: readonly ConversionStatus[];
  readonly sendFraudulent: boolean;
}

/** What a decision needs of the click and the conversion. */
export interface PostbackSubject {
  readonly clickId: string;
  readonly externalId: string | null;
  readonly placement: string | null;
  readonly country: string | null;
  /** sub1…sub10: the click's sub id columns, then its query for the ones without a column. */
  readonly subs: readonly (string | null)[];
  /** The click's fraud types (JSON array on the click row, parsed). */
  readonly fraudTypes: readonly string[];
  readonly campaignId: number;
  readonly status: ConversionStatus;
  readonly payout: number;
  readonly txid: string | null;
  readonly event: string;
  /** The conversion's fake-lead reasons (SPEC section 10); empty when it is clean. */
  readonly suspiciousReasons: readonly string[];
}

export type PostbackDecision = { send: true; url: string } | { send: false; url: string; reason: string };

export function macroValues(subject: PostbackSubject): MacroValues {
  const values: MacroValues = {
    external_id: subject.externalId,
    click_id: subject.clickId,
    payout: subject.payout,
    status: subject.status,
    txid: subject.txid,
    event: subject.event,
    campaign_id: subject.campaignId,
    placement: subject.placement,
    country: subject.country,
  };
  subject.subs.forEach((value, i) => {
    values[`sub${i + 1}` as keyof MacroValues] = value;
  });
  return values;
}

/**
 * Send, or withhold and say why. The fraud rule comes first: a network must not learn from fraud
 * whatever the status (`duplicate` alone is a repeat visit, not fraud a bidder should avoid), nor from
 * a suspicious conversion (a lead too fast to be a person's, a payout far off), unless the source asks
 * for them (postback_fraudulent).
 */
export function decidePostback(target: PostbackTarget, subject: PostbackSubject): PostbackDecision {
  const url = substituteMacros(target.template, macroValues(subject));
  const fraud = subject.fraudTypes.filter((type) => type !== 'duplicate');
  if (fraud.length > 0 && !target.sendFraudulent) {
    return {
      send: false,
      url,
      reason: `The click is fraudulent (${fraud.join(', ')}) and the source does not send conversions of fraudulent clicks (postback_fraudulent is false)`,
    };
  }
  if (subject.suspiciousReasons.length > 0 && !target.sendFraudulent) {
    return {
      send: false,
      url,
      reason: `The conversion is suspicious (${subject.suspiciousReasons.join('; ')}) and the source does not send suspicious conversions (postback_fraudulent is false)`,
    };
  }
  if (!target.statuses.includes(subject.status)) {
    return {
      send: false,
      url,
      reason: `The conversion is ${subject.status}; the source sends only ${target.statuses.join(', ') || 'no statuses'} (postback_statuses)`,
    };
  }
  if (!subject.externalId && templateMacros(target.template).has('external_id')) {
    return {
      send: false,
      url,
      reason:
        "The click has no external_id (the network's click id was not in the tracking URL) and the postback needs {external_id}",
    };
  }
  return { send: true, url };
}
