import { beaconAutomationRule } from '../rules/beacon-automation.ts';
import { beaconDeviceRule } from '../rules/beacon-device.ts';
import { beaconTimeZoneRule } from '../rules/beacon-time-zone.ts';
import type { Finding } from '../types.ts';
import type { BeaconClick, BeaconFacts, BeaconRule } from './facts.ts';

const BEACON_RULES: readonly BeaconRule[] = [beaconAutomationRule, beaconDeviceRule, beaconTimeZoneRule];

/** Every finding the beacon's facts give against its click, strongest first. */
export function judgeBeacon(facts: BeaconFacts, click: BeaconClick): Finding[] {
  return BEACON_RULES.flatMap((rule) => rule(facts, click)).sort((a, b) => b.score - a.score);
}
