import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLICK_IPHONE, CLICK_WINDOWS, PLAYWRIGHT_CHROMIUM, WINDOWS_CHROME } from './browsers.test-data.ts';
import { judgeBeacon } from './judge.ts';

describe('judgeBeacon', () => {
  it('finds nothing in a person’s browser', () => assert.deepEqual(judgeBeacon(WINDOWS_CHROME, CLICK_WINDOWS), []));

  it('gathers every rule’s findings, strongest first', () => {
    const findings = judgeBeacon(
      { ...PLAYWRIGHT_CHROMIUM, timeZone: 'America/New_York', utcOffsetMinutes: -300 },
      { ...CLICK_IPHONE, country: 'VN' },
    );
    assert.deepEqual(
      findings.map((f) => [f.type, f.score]),
      [
        ['bot', 95],
        ['bot', 85],
        ['vpn', 70],
      ],
    );
  });
});
