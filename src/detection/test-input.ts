// Shared by the detection tests: a plain human click that every test bends one way.
import type { Visitor } from './visitor.ts';
import {
  UNKNOWN_REPUTATION,
  type AccountIpLists,
  type ClickHistory,
  type DetectionInput,
  type DeviceInfo,
  type IpInfo,
  type Targeting,
} from './types.ts';

export const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
export const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

/** What Chrome 120 on Windows sends on a cross-site navigation from an ad (captured header sets). */
export const CHROME_HEADERS = Object.freeze({
  accept:
    'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
  'accept-language': 'en-US,en;q=0.9',
  'accept-encoding': 'gzip, deflate, br',
  'sec-ch-ua': '"Not_A Brand";v="8", "Chromium";v="120", "Google Chrome";v="120"',
  'sec-ch-ua-mobile': '?0',
  'sec-ch-ua-platform': '"Windows"',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
  'sec-fetch-user': '?1',
});

export interface InputOverrides {
  visitor?: Partial<Visitor>;
  ip?: Partial<IpInfo>;
  device?: Partial<DeviceInfo>;
  history?: Partial<ClickHistory>;
  targeting?: Partial<Targeting>;
  accountIpLists?: Partial<AccountIpLists>;
}

export function makeInput(overrides: InputOverrides = {}): DetectionInput {
  return {
    visitor: {
      ip: '203.0.113.7',
      userAgent: CHROME_UA,
      referrer: null,
      headers: CHROME_HEADERS,
      query: {},
      method: 'GET',
      secure: true,
      ...overrides.visitor,
    },
    ip: {
      country: 'US',
      asn: 7922,
      asOrg: 'Comcast Cable Communications, LLC',
      reputation: UNKNOWN_REPUTATION,
      ...overrides.ip,
    },
    device: { device: 'desktop', os: 'Windows', browser: 'Chrome', ...overrides.device },
    history: {
      sameVisitorRecentClicks: 0,
      sameIpRecentClicks: 0,
      sameVisitorBurstClicks: 0,
      sameIpShortClicks: 0,
      sameVisitorShortClicks: 0,
      subnetRecentDevices: 1,
      addressFarmClicks: 1,
      addressRecentDevices: 1,
      addressShortDevices: 1,
      addressBurstDevices: 1,
      addressHistoryDevices: 1,
      subnetHistoryDevices: 1,
      subnetOtherLineDevices: 0,
      ...overrides.history,
    },
    targeting: {
      allowedCountries: [],
      blockedCountries: [],
      allowedDevices: [],
      ipBlocklist: [],
      ...overrides.targeting,
    },
    accountIpLists: { allow: [], block: [], ...overrides.accountIpLists },
  };
}
