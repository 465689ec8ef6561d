import { isMobileCarrier } from '../../detection/network-kind.ts';
import type { Visitor } from '../../detection/visitor.ts';
import type { IpInfo } from '../../intel/ip-intel.ts';
import type { Device } from '../../intel/user-agent.ts';
import type { FlowVisit } from '../flows/flow-router.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const PRIMARY_LANGUAGE = /^\s*([A-Za-z]{2,3})(?:[-_,;\s]|$)/;

/** The first language the browser asks for, primary tag only ("de-AT,de;q=0.9" → "de"). */
export function primaryLanguage(acceptLanguage: string | undefined): string | null {
  if (!acceptLanguage) return null;
  const match = PRIMARY_LANGUAGE.exec(acceptLanguage);
  return match ? match[1]!.toLowerCase() : null;
}

/**
 * What a flow's rules see of a click. Built from the request, its address's location and network and
 * its user agent only: the verdict, the IP lists and the detector's findings are not passed in, so a
 * rule cannot route by them (the product boundary, SPEC section 8).
 */
export function flowVisit(
  visitor: Visitor,
  ip: IpInfo,
  device: Device,
  now: number,
  needsConnection: boolean,
): FlowVisit {
  return {
    country: ip.country,
    device: device.device,
    os: device.os === null ? null : device.os.toLowerCase(),
    browser: device.browser === null ? null : device.browser.toLowerCase(),
    language: primaryLanguage(visitor.headers['accept-language']),
    connection: needsConnection ? (isMobileCarrier(ip) ? 'mobile' : 'broadband') : null,
    query: visitor.query,
    // Epoch day 0 was a Thursday: index 3 with Monday as 0.
    weekday: (Math.floor(now / DAY_MS) + 3) % 7,
    hour: Math.floor(now / HOUR_MS) % 24,
  };
}
