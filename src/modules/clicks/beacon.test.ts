import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { beaconStateOf, mergeEngagement, toStoredBeacon, type BeaconInput } from './beacon.ts';

const INPUT: BeaconInput = {
  click_id: 'clk_0000000000000000000000',
  page_view_id: 'pv-0001-abcd',
  webdriver: false,
  time_zone: 'Europe/Berlin',
  utc_offset_minutes: 60,
  languages: ['de-DE'],
  screen_width: 1920,
  screen_height: 1080,
  viewport_width: 1920,
  viewport_height: 945,
  touch_points: 0,
  hardware_concurrency: 8,
  visible: false,
  time_on_page_ms: 300,
  pointer_events: 0,
  scroll_events: 0,
  key_events: 0,
};

describe('beacon', () => {
  it('stores the listed fields without the click id', () => {
    const stored = toStoredBeacon(INPUT, 1_000);
    assert.ok(!('click_id' in stored));
    assert.equal(stored.received_at, 1_000);
  });

  it('lets a later beacon of the page view add engagement only', () => {
    const stored = toStoredBeacon(INPUT, 1_000);
    const merged = mergeEngagement(
      stored,
      { ...INPUT, webdriver: true, time_zone: 'Asia/Manila', visible: true, time_on_page_ms: 9_000, pointer_events: 4 },
      2_000,
    );
    assert.equal(merged?.webdriver, false);
    assert.equal(merged?.time_zone, 'Europe/Berlin');
    assert.equal(merged?.visible, true);
    assert.equal(merged?.time_on_page_ms, 9_000);
    assert.equal(merged?.updated_at, 2_000);
    // Counts never go back, and nothing new is a repeat.
    assert.equal(mergeEngagement(merged!, { ...INPUT, time_on_page_ms: 10 }, 3_000), null);
  });

  it('tells waiting from missing by the hour after the click', () => {
    assert.equal(beaconStateOf(null, 0, 59_000, 60_000), 'waiting');
    assert.equal(beaconStateOf(null, 0, 60_000, 60_000), 'missing');
    assert.equal(beaconStateOf('{}', 0, 999_999, 60_000), 'received');
  });
});
