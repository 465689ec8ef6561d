import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CLICK_ANDROID,
  CLICK_IPHONE,
  CLICK_WINDOWS,
  IPHONE_SAFARI,
  PIXEL_CHROME,
  SURFACE_EDGE,
  WINDOWS_CHROME,
} from '../beacon/browsers.test-data.ts';
import { beaconDeviceRule } from './beacon-device.ts';

describe('beacon device rule', () => {
  it('leaves phones, desktops and touch laptops that are what they say alone', () => {
    assert.deepEqual(beaconDeviceRule(IPHONE_SAFARI, CLICK_IPHONE), []);
    assert.deepEqual(beaconDeviceRule(PIXEL_CHROME, CLICK_ANDROID), []);
    assert.deepEqual(beaconDeviceRule(WINDOWS_CHROME, CLICK_WINDOWS), []);
    assert.deepEqual(beaconDeviceRule(SURFACE_EDGE, CLICK_WINDOWS), []);
  });

  it('leaves a phone in landscape alone', () => {
    const landscape = {
      ...IPHONE_SAFARI,
      screenWidth: 852,
      screenHeight: 393,
      viewportWidth: 852,
      viewportHeight: 300,
    };
    assert.deepEqual(beaconDeviceRule(landscape, CLICK_IPHONE), []);
  });

  it('flags an iPhone user agent on a 1920-wide screen without touch as bot', () => {
    assert.deepEqual(beaconDeviceRule(WINDOWS_CHROME, CLICK_IPHONE), [
      {
        type: 'bot',
        message: 'The user agent says iOS phone, but the browser has no touch screen (1920×1080 screen)',
        score: 85,
      },
    ]);
  });

  it('flags a touch-emulating "phone" with a desktop screen', () => {
    const [finding] = beaconDeviceRule({ ...WINDOWS_CHROME, touchPoints: 1 }, CLICK_ANDROID);
    assert.equal(finding?.type, 'bot');
    assert.match(finding?.message ?? '', /Android phone, but the browser reports a 1920×1080 screen/);
  });

  it('flags a desktop window far wider than its screen', () => {
    const [finding] = beaconDeviceRule(
      { ...WINDOWS_CHROME, screenWidth: 800, screenHeight: 600, viewportWidth: 1920 },
      CLICK_WINDOWS,
    );
    assert.match(finding?.message ?? '', /1920 px wide\) is far wider than its screen \(800 px\)/);
  });
});
