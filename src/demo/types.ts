import type { ClickStatus, FraudType } from '../detection/index.ts';

export const POPULATIONS = [
  { id: 'human-residential', title: 'Humans on residential broadband', human: true },
  { id: 'human-mobile', title: 'Humans on mobile carriers (CGNAT IPv4, IPv6)', human: true },
  { id: 'relay', title: 'Humans behind iCloud Private Relay', human: true },
  { id: 'office', title: 'An office of 30 over three hours behind one address', human: true },
  { id: 'campus', title: 'A campus: hundreds behind one address over a day', human: true },
  { id: 'carrier-nat', title: "A carrier's busiest NAT addresses (100-250 phones each)", human: true },
  { id: 'old-webview', title: 'Old in-app browsers without Sec-Fetch-*', human: true },
  { id: 'declared-bot', title: 'Declared bots and scripts', human: false },
  { id: 'header-forging', title: 'Header-forging automation (Chrome user agent)', human: false },
  { id: 'cloud-browser', title: 'Browsers on cloud networks', human: false },
  { id: 'vpn', title: 'VPN exits', human: false },
  { id: 'tor', title: 'Tor exits', human: false },
  { id: 'rapid-fire', title: 'Rapid-fire bursts', human: false },
  { id: 'click-farm', title: 'Click farms', human: false },
  { id: 'verified-crawler', title: 'Verified ad crawlers', human: false },
  { id: 'fake-crawler', title: 'Fake crawlers', human: false },
  { id: 'cloud-fake-crawler', title: "Fake crawlers from their company's cloud (no lists loaded)", human: false },
] as const;

export type PopulationId = (typeof POPULATIONS)[number]['id'];

export type Platform = 'google' | 'meta' | 'tiktok' | 'microsoft';

export interface SimCampaign {
  /** Stable key the runner maps to the created campaign's uuid. */
  readonly key: string;
  readonly name: string;
  readonly platform: Platform;
  /** Where its audience is, with relative weights. */
  readonly countries: readonly (readonly [string, number])[];
  /** Payout range of a conversion. */
  readonly payout: readonly [number, number];
  /** Share of the traffic relative to the other campaigns. */
  readonly weight: number;
}

/** What the tracker should conclude about a click. */
export interface Expectation {
  /** Fraud types the click truly has: a detector that misses one of them misses fraud. */
  fraudTypes: FraudType[];
  /** Further types that are not wrong either (a Tor exit in a hosting network is also `datacenter`). */
  allowed: FraudType[];
  status: ClickStatus;
  /** A verified ad-platform crawler: let through, status bot, no fraud type. */
  verified: boolean;
}

export interface SimConversion {
  readonly at: number;
  readonly payout: number;
  readonly txid: string;
  readonly status: 'approved' | 'pending';
}

export interface SimClick {
  /** Position in time order. */
  seq: number;
  /** Epoch milliseconds. */
  at: number;
  readonly campaign: string;
  readonly population: PopulationId;
  /** The simulated person, bot, farm or crawler; its clicks share it. */
  readonly actor: string;
  /** "human · DE Deutsche Telekom · Chrome 131 on Windows". */
  readonly label: string;
  readonly ip: string;
  /** The tracking URL's query string, without "?". */
  readonly query: string;
  /** Every request header, X-Forwarded-For and X-Forwarded-Proto included. */
  readonly headers: Readonly<Record<string, string>>;
  readonly expected: Expectation;
  /** Facts the benchmark reports on ("shared-address": a duplicate by IP + user agent of another person). */
  readonly notes: string[];
  /** 1-based position within a rapid-fire burst or a click farm's session. */
  readonly position?: number;
  readonly conversion: SimConversion | null;
}

export interface Simulation {
  readonly seed: number;
  readonly start: number;
  readonly end: number;
  readonly campaigns: readonly SimCampaign[];
  /** In time order. */
  readonly clicks: readonly SimClick[];
}
