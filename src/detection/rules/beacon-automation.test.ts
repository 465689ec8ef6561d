import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CLICK_IPHONE,
  CLICK_WINDOWS,
  IPHONE_SAFARI,
  OLD_HEADLESS,
  PLAYWRIGHT_CHROMIUM,
  WINDOWS_CHROME,
} from '../beacon/browsers.test-data.ts';
import { beaconAutomationRule } from './beacon-automation.ts';

describe('beacon automation rule', () => {
  it('leaves people’s browsers alone', () => {
    assert.deepEqual(beaconAutomationRule(WINDOWS_CHROME, CLICK_WINDOWS), []);
    assert.deepEqual(beaconAutomationRule(IPHONE_SAFARI, CLICK_IPHONE), []);
  });

  it('flags navigator.webdriver as bot, whatever the headers said', () => {
    const [finding, ...rest] = beaconAutomationRule(PLAYWRIGHT_CHROMIUM, CLICK_WINDOWS);
    assert.deepEqual(rest, []);
    assert.equal(finding?.type, 'bot');
    assert.equal(finding?.score, 95);
    assert.match(finding?.message ?? '', /navigator\.webdriver = true/);
  });

  it('flags old headless Chrome by its empty languages and its screen-less marks', () => {
    const findings = beaconAutomationRule(OLD_HEADLESS, CLICK_WINDOWS);
    assert.deepEqual(
      findings.map((f) => f.type),
      ['bot'],
    );
    assert.match(findings[0]!.message, /no languages/);
    const zero = beaconAutomationRule(
      { ...OLD_HEADLESS, languages: ['en-US'], screenWidth: 0, screenHeight: 0 },
      CLICK_WINDOWS,
    );
    assert.match(zero[0]!.message, /0×0 screen/);
  });
});
