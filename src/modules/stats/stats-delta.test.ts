import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clickCounters, verdictChange, type ClickVerdictFacts } from './stats-delta.ts';

const clean: ClickVerdictFacts = {
  status: 'real',
  is_unique: 1,
  is_verified_bot: 0,
  fraud_types: '[]',
  primary_fraud_type: null,
  cost: 0.37,
  cost_source: 'param',
};

describe('priced clicks in the rollups', () => {
  it('a click priced by its source counts its own cost; a model fallback counts none', () => {
    assert.deepEqual(
      { priced: clickCounters(clean).priced_clicks, cost: clickCounters(clean).priced_cost },
      { priced: 1, cost: 0.37 },
    );
    const fallback = clickCounters({ ...clean, cost: 0.5, cost_source: 'invalid_param' });
    assert.equal(fallback.priced_clicks, undefined);
    assert.equal(fallback.priced_cost, undefined);
    assert.equal(clickCounters({ ...clean, cost: null, cost_source: null }).priced_clicks, undefined);
  });

  it('a late finding moves a priced click into the fraudulent cost, and nothing else of its cost', () => {
    const farm: ClickVerdictFacts = { ...clean, fraud_types: '["click_farm"]', primary_fraud_type: 'click_farm' };
    const change = verdictChange(clean, farm);
    assert.equal(change.fraud_clicks, 1);
    assert.equal(change.fraud_priced_clicks, 1);
    assert.equal(change.fraud_priced_cost, 0.37);
    assert.equal(change.priced_clicks, 0);
    assert.equal(change.priced_cost, 0);
  });
});
