import { findIpInList } from '../cidr.ts';
import { defineRule } from '../rule.ts';
import type { Signal } from '../types.ts';

/** Geo databases say GB; people write UK. The campaign API normalises too, older rows may not be. */
function normalizeCountry(code: string): string {
  const upper = code.trim().toUpperCase();
  return upper === 'UK' ? 'GB' : upper;
}

function includesCountry(list: readonly string[], country: string): boolean {
  return list.some((entry) => normalizeCountry(entry) === country);
}

function includesDevice(list: readonly string[], device: string): boolean {
  return list.some((entry) => entry.trim().toLowerCase() === device);
}

function targetingSignal(message: string): Signal {
  // Not fraud: the campaign chose not to want this visitor, so it adds nothing to the fraud score.
  return { type: 'targeting', message, score: 0 };
}

/**
 * The campaign's own filters. A visitor who fails them is held back (`cloaked`); every failed
 * filter gets its own reason so the user sees all of them at once.
 */
export const targetingRule = defineRule({
  name: 'targeting',
  type: 'targeting',
  defaults: {},
  evaluate({ visitor, ip, device, targeting }) {
    const signals: Signal[] = [];
    const country = ip.country === null ? null : normalizeCountry(ip.country);
    if (targeting.allowedCountries.length > 0) {
      // An unknown country cannot be shown to be allowed; letting it through would make an
      // allow-list leak every visitor the geo database has no answer for.
      if (country === null)
        signals.push(targetingSignal('Country is unknown and the campaign accepts only its allowed countries'));
      else if (!includesCountry(targeting.allowedCountries, country)) {
        signals.push(targetingSignal(`Country ${country} is not among the campaign's allowed countries`));
      }
    }
    if (country !== null && includesCountry(targeting.blockedCountries, country)) {
      signals.push(targetingSignal(`Country ${country} is blocked by the campaign`));
    }
    const deviceType = device.device.trim().toLowerCase();
    if (targeting.allowedDevices.length > 0 && !includesDevice(targeting.allowedDevices, deviceType)) {
      signals.push(
        targetingSignal(`Device type ${deviceType || 'unknown'} is not among the campaign's allowed devices`),
      );
    }
    const blocked = findIpInList(visitor.ip, targeting.ipBlocklist);
    if (blocked !== null) {
      const entry = blocked.source === visitor.ip ? '' : ` (${blocked.source})`;
      signals.push(targetingSignal(`IP ${visitor.ip} is on the campaign's IP blocklist${entry}`));
    }
    return signals;
  },
});
