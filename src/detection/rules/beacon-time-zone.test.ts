import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLICK_WINDOWS, WINDOWS_CHROME } from '../beacon/browsers.test-data.ts';
import type { BeaconClick, BeaconFacts } from '../beacon/facts.ts';
import { beaconTimeZoneRule } from './beacon-time-zone.ts';

const zone = (timeZone: string, utcOffsetMinutes: number): BeaconFacts => ({
  ...WINDOWS_CHROME,
  timeZone,
  utcOffsetMinutes,
});
const from = (country: string | null): BeaconClick => ({ ...CLICK_WINDOWS, country });

describe('beacon time-zone rule', () => {
  it('names the zone and the country a person can check', () => {
    assert.deepEqual(beaconTimeZoneRule(zone('America/New_York', -300), from('VN')), [
      {
        type: 'vpn',
        message: 'Browser reports time zone America/New_York (UTC−5); the address is in Vietnam',
        score: 70,
      },
    ]);
  });

  const plausible: [string, string, number, string][] = [
    ['Berlin in Germany', 'Europe/Berlin', 60, 'DE'],
    ['Berlin summer time in Germany', 'Europe/Berlin', 120, 'DE'],
    ['Los Angeles in the US', 'America/Los_Angeles', -420, 'US'],
    ['Honolulu in the US', 'Pacific/Honolulu', -600, 'US'],
    ['Vladivostok in Russia', 'Asia/Vladivostok', 600, 'RU'],
    ['Kaliningrad in Russia', 'Europe/Kaliningrad', 120, 'RU'],
    ['Perth in Australia', 'Australia/Perth', 480, 'AU'],
    ['Kolkata in India', 'Asia/Kolkata', 330, 'IN'],
    ['a London traveller on a German address', 'Europe/London', 0, 'DE'],
    ['Moscow on a Polish address (a neighbour, inside the margin)', 'Europe/Moscow', 180, 'PL'],
    ['Manaus in Brazil', 'America/Manaus', -240, 'BR'],
    ['a country not in the table', 'Asia/Tbilisi', 240, 'GE'],
  ];
  for (const [what, name, offset, country] of plausible)
    it(`leaves ${what} alone`, () => assert.deepEqual(beaconTimeZoneRule(zone(name, offset), from(country)), []));

  it('does not judge an address without a country', () =>
    assert.deepEqual(beaconTimeZoneRule(zone('America/New_York', -300), from(null)), []));

  const far: [string, string, number, string][] = [
    ['New York on a German address', 'America/New_York', -240, 'DE'],
    ['Manila on a US address', 'Asia/Manila', 480, 'US'],
    ['Dhaka on a UK address', 'Asia/Dhaka', 360, 'GB'],
    ['Lagos on an Australian address', 'Africa/Lagos', 60, 'AU'],
  ];
  for (const [what, name, offset, country] of far)
    it(`flags ${what} as vpn`, () =>
      assert.equal(beaconTimeZoneRule(zone(name, offset), from(country))[0]?.type, 'vpn'));

  it('writes half-hour offsets and a missing zone name', () => {
    const [finding] = beaconTimeZoneRule({ ...WINDOWS_CHROME, timeZone: null, utcOffsetMinutes: 330 }, from('US'));
    assert.equal(finding?.message, 'Browser reports time zone UTC+5:30; the address is in United States');
  });
});
