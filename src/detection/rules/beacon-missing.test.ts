import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BEACON_WINDOW_MS, missingBeaconFinding } from './beacon-missing.ts';

describe('missing beacon', () => {
  it('is never fraud unless the campaign requires the tag', () => {
    assert.equal(missingBeaconFinding(false, BEACON_WINDOW_MS * 5), null);
  });

  it('waits for the beacon window to pass', () => {
    assert.equal(missingBeaconFinding(true, BEACON_WINDOW_MS - 1), null);
  });

  it('is bot with a reason once the window passed on a campaign that requires the tag', () => {
    const finding = missingBeaconFinding(true, BEACON_WINDOW_MS);
    assert.equal(finding?.type, 'bot');
    assert.match(finding?.message ?? '', /No beacon came from the page within 1 h/);
  });
});
