import type { Visitor } from './visitor.ts';

/** The order is the SPEC's precedence: a click's primary fraud type is the first one it has. */
export const FRAUD_TYPE_ORDER = ['bot', 'rapid_fire', 'click_farm', 'datacenter', 'vpn', 'duplicate'] as const;
export type FraudType = (typeof FRAUD_TYPE_ORDER)[number];

/**
 * FRAUD_TYPE_ORDER, CLICK_STATUSES and DEVICE_TYPES are the one list of each: the API's schemas, the stats, the
 * reports and (through the generated API types) the dashboard derive theirs from them.
 */
export const CLICK_STATUSES = ['real', 'bot', 'vpn', 'cloaked'] as const;
export type ClickStatus = (typeof CLICK_STATUSES)[number];

/** Device classes as the user-agent parser names them; campaigns target them (allowed_devices). */
export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet', 'tv', 'console', 'wearable', 'other'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/**
 * Which status a fraud type pushes a click into. `duplicate` maps to none: a person who clicks
 * twice is still a person, so the repeat keeps whatever status it would have had.
 */
export const FRAUD_TYPE_STATUS: Readonly<Record<FraudType, ClickStatus | null>> = {
  bot: 'bot',
  rapid_fire: 'bot',
  click_farm: 'bot',
  datacenter: 'vpn',
  vpn: 'vpn',
  duplicate: null,
};

/**
 * `verified_bot`, `allowlisted`, `targeting` and `privacy_relay` explain a verdict without being fraud
 * (an account may count a relay as `vpn`: the privacy-relay rule's setting).
 */
export type SignalType = FraudType | 'verified_bot' | 'allowlisted' | 'targeting' | 'privacy_relay';

export interface Reason {
  readonly type: SignalType;
  readonly message: string;
}

/**
 * The clicks a finding about a group covers: those of the same IP (`ip`), the same device
 * (`device`: IP + user agent), the same /24 or /48 (`subnet`) or every line of the /24 or /48 that
 * showed more than one browser (`lines`: all their clicks, however many one browser build made) on this
 * campaign within `withinMs`.
 */
export type ClickGroup = 'ip' | 'device' | 'subnet' | 'lines';

export interface LookBack {
  readonly group: ClickGroup;
  readonly withinMs: number;
}

/** What a rule reports; `score` (0-100) is how sure the rule is that the click is invalid. */
export interface Signal extends Reason {
  readonly score: number;
  /**
   * A burst or a farm is only recognised at its (N+1)th click, yet its first N clicks were part of it:
   * the recorder flags the group's earlier clicks too, after the fact.
   */
  readonly lookBack?: LookBack;
}

/** What is learnt of a click after it was judged: a group's burst, or what its page's tag told (beacon rules). */
export interface Finding {
  readonly type: FraudType;
  readonly message: string;
  readonly score: number;
}

/** A finding to apply to earlier clicks of a group (see `Signal.lookBack`). */
export interface LateFinding extends LookBack, Finding {}

/** Which loaded list, and which of its entries, an address fell in. */
export interface ListMatch {
  readonly list: string;
  readonly entry: string;
}

/**
 * What the IP lists kept by `cloakradar intel update` say of an address. `null`: no list of that kind
 * is loaded, so the answer is unknown; `false`: the lists are loaded and the address is not on them.
 */
export interface IpReputation {
  /** Tor exit nodes. */
  readonly tor: ListMatch | false | null;
  /** VPN exits and public proxies. */
  readonly vpn: ListMatch | false | null;
  /** Ranges an ad platform or search engine publishes for its crawlers; `company` as in verified-crawlers. */
  readonly crawler: (ListMatch & { readonly company: string }) | false | null;
  /** A privacy relay's published egress (iCloud Private Relay), with the country the relay gives the range. */
  readonly relay: (ListMatch & { readonly country: string | null }) | false | null;
  /**
   * Whose published crawler ranges were looked in (downloaded or shipped): `crawler: false` proves
   * nothing of a company missing here. Absent: every company's, when `crawler` is not null.
   */
  readonly crawlerCompanies?: readonly string[];
}

export const UNKNOWN_REPUTATION: IpReputation = Object.freeze({ tor: null, vpn: null, crawler: null, relay: null });

export interface IpInfo {
  readonly country: string | null;
  readonly asn: number | null;
  readonly asOrg: string | null;
  readonly reputation: IpReputation;
}

export interface DeviceInfo {
  readonly device: string;
  readonly os: string | null;
  readonly browser: string | null;
}

/**
 * Counts the recorder gathers before calling `evaluate`, so detection stays free of I/O.
 * Later rules (rapid_fire, click_farm) add their counts here.
 */
export interface ClickHistory {
  /** Same IP + user agent on this campaign within the duplicate window, excluding this click. */
  readonly sameVisitorRecentClicks: number;
  /** Clicks from this IP on this campaign within `rapidFireWindowMs`, excluding this click. */
  readonly sameIpRecentClicks: number;
  /**
   * Clicks from this IP with this user agent (one device) on this campaign within `rapidFireWindowMs`,
   * excluding this click: a burst behind a carrier's shared address is told apart from its many users.
   */
  readonly sameVisitorBurstClicks: number;
  /** Clicks from this IP on this campaign within `rapidFireShortWindowMs`, excluding this click. */
  readonly sameIpShortClicks: number;
  /** Clicks from this device (IP + user agent) on this campaign within `rapidFireShortWindowMs`, excluding this click. */
  readonly sameVisitorShortClicks: number;
  /**
   * Distinct devices (address + user agent: a farm's identical phones differ by address) seen from this
   * IP's /24 (IPv4) or /48 (IPv6) on this campaign within `clickFarmWindowMs`, this click's included.
   */
  readonly subnetRecentDevices: number;
  /** Clicks from this IP on this campaign within `clickFarmWindowMs`, this click's included. */
  readonly addressFarmClicks: number;
  /** Distinct user agents from this IP on this campaign within `clickFarmWindowMs`, this click's included. */
  readonly addressRecentDevices: number;
  /**
   * Distinct user agents from this IP on this campaign within `rapidFireShortWindowMs` and
   * `rapidFireWindowMs`, this click's included: clicks beyond one per browser are a visitor repeating.
   */
  readonly addressShortDevices: number;
  readonly addressBurstDevices: number;
  /**
   * Distinct user agents from this IP on this campaign within `clickFarmHistoryWindowMs`, this click's
   * included: what the address has done before, so a crowd that was there all along is told from a farm
   * that just arrived.
   */
  readonly addressHistoryDevices: number;
  /**
   * Distinct devices from this IP's /24 or /48 on this campaign within `clickFarmHistoryWindowMs`, this
   * click's included: the neighbourhood's past hour, so a subnet busy all along is told from a farm arriving.
   */
  readonly subnetHistoryDevices: number;
  /**
   * The most browsers another line (address) of this IP's /24 or /48 showed on this campaign at its latest
   * click within `clickFarmWindowMs` (its `addressRecentDevices` then); 0 when no other line clicked.
   */
  readonly subnetOtherLineDevices: number;
}

/** The account's own address lists, which apply to all its campaigns. */
export interface AccountIpLists {
  /** Addresses or CIDRs never judged as fraud (the buyer's office, a QA device lab). */
  readonly allow: readonly string[];
  /** Addresses or CIDRs always held back, like a campaign's ip_blocklist. */
  readonly block: readonly string[];
}

/** The campaign's own rules; a human who fails them is `cloaked`, not fraud. */
export interface Targeting {
  readonly allowedCountries: readonly string[];
  readonly blockedCountries: readonly string[];
  readonly allowedDevices: readonly string[];
  /** IP addresses or CIDR ranges, IPv4 and IPv6. */
  readonly ipBlocklist: readonly string[];
}

/**
 * Forward-confirmed reverse DNS of the visitor's address, as the tracker last looked it up. Only
 * names under a crawler's documented domains are looked up forward, so `confirmed` holds no other.
 */
export interface ReverseDnsAnswer {
  /** The address's PTR names, lower case, without the trailing dot. */
  readonly names: readonly string[];
  /** Those of `names` whose A/AAAA records hold the address again. */
  readonly confirmed: readonly string[];
  /** Why the lookup gave no answer ("timeout", "SERVFAIL"…); null when it did. */
  readonly error: string | null;
}

export interface DetectionInput {
  readonly visitor: Visitor;
  readonly ip: IpInfo;
  /** Absent: not looked up (yet); a crawler claim is then judged without it and may be amended later. */
  readonly reverseDns?: ReverseDnsAnswer;
  readonly device: DeviceInfo;
  readonly history: ClickHistory;
  readonly targeting: Targeting;
  readonly accountIpLists: AccountIpLists;
}

export interface Verdict {
  status: ClickStatus;
  isBot: boolean;
  isVpn: boolean;
  isVerifiedBot: boolean;
  /** Ordered by FRAUD_TYPE_ORDER, without repeats. */
  fraudTypes: FraudType[];
  primaryFraudType: FraudType | null;
  fraudScore: number;
  reasons: Reason[];
  /** The campaign's targeting holds this visitor back (never true for a verified bot). */
  cloaked: boolean;
  /** Findings the group's earlier clicks share (empty for verified and allowlisted clicks). */
  lateFindings: LateFinding[];
}
