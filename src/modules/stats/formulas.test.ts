import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { zeroCounters, type Counters } from './click-stats.table.ts';
import { costOf, round2, savingsOf, summarize, summarizeFraud } from './formulas.ts';

const counters = (values: Partial<Counters>): Counters => ({ ...zeroCounters(), ...values });

describe('SPEC §3 formulas', () => {
  it("reproduce the reference's campaign statistics", () => {
    const reference = counters({
      clicks: 15_000,
      unique_clicks: 12_500,
      real_clicks: 10_000,
      bot_clicks: 3_000,
      vpn_clicks: 2_000,
      conversions: 450,
      revenue: 20_250,
    });
    const cost = costOf({ model: 'cpc', value: 0.5 }, reference);
    assert.deepEqual(summarize(reference, cost), {
      clicks: 15_000,
      unique_clicks: 12_500,
      real_clicks: 10_000,
      bot_clicks: 3_000,
      vpn_clicks: 2_000,
      cloaked_clicks: 0,
      conversions: 450,
      revenue: 20_250,
      cost: 7_500,
      profit: 12_750,
      roi: 170,
      cr: 4.5,
      epc: 1.35,
      // Flows (SPEC section 8): lander click-throughs, none in the reference's traffic.
      lp_clicks: 0,
      lp_ctr: 0,
      suspicious_conversions: 0,
    });
  });

  it("reproduce the reference's fraud statistics", () => {
    const reference = counters({
      clicks: 10_000,
      fraud_clicks: 850,
      fraud_bot: 300,
      fraud_duplicate: 200,
      fraud_vpn: 150,
      fraud_datacenter: 100,
      fraud_rapid_fire: 50,
      fraud_click_farm: 50,
    });
    assert.deepEqual(summarizeFraud(reference, savingsOf({ model: 'cpc', value: 0.5 }, reference)), {
      total_clicks: 10_000,
      fraudulent_clicks: 850,
      fraud_rate: 8.5,
      fraud_by_type: { bot: 300, duplicate: 200, vpn: 150, datacenter: 100, rapid_fire: 50, click_farm: 50 },
      estimated_savings: 425,
      suspicious_conversions: 0,
    });
  });

  it('cost by model', () => {
    const traffic = counters({ clicks: 2_000, conversions: 10, revenue: 500 });
    assert.equal(costOf({ model: 'cpc', value: 0.25 }, traffic), 500);
    assert.equal(costOf({ model: 'cpm', value: 3 }, traffic), 6);
    assert.equal(costOf({ model: 'cpa', value: 20 }, traffic), 200);
    assert.equal(costOf({ model: 'revshare', value: 40 }, traffic), 200);
    assert.equal(savingsOf({ model: 'cpm', value: 3 }, counters({ fraud_clicks: 1_000 })), 3);
    assert.equal(
      savingsOf({ model: 'cpa', value: 20 }, counters({ fraud_clicks: 1_000 })),
      0,
      'a per-action model charges nothing for a click',
    );
  });

  it('per-click cost: priced clicks at their own price, the rest under the model (SPEC §7)', () => {
    // 100 clicks, 40 of them priced by the network at 12.00 in all; 10 fraudulent, 4 of those priced at 1.50.
    const traffic = counters({
      clicks: 100,
      priced_clicks: 40,
      priced_cost: 12,
      fraud_clicks: 10,
      fraud_priced_clicks: 4,
      fraud_priced_cost: 1.5,
      conversions: 5,
      revenue: 50,
    });
    assert.equal(costOf({ model: 'cpc', value: 0.5 }, traffic), 12 + 60 * 0.5);
    assert.equal(costOf({ model: 'cpm', value: 2 }, traffic), 12 + (60 * 2) / 1000);
    assert.equal(costOf({ model: 'cpa', value: 3 }, traffic), 15, 'CPA stays per conversion');
    assert.equal(costOf({ model: 'revshare', value: 10 }, traffic), 5, 'revshare stays per revenue');
    assert.equal(savingsOf({ model: 'cpc', value: 0.5 }, traffic), 1.5 + 6 * 0.5);
    assert.equal(savingsOf({ model: 'cpa', value: 3 }, traffic), 0);
  });

  it('no division by zero: roi 0 without cost, cr 0 without real clicks, epc 0 without clicks', () => {
    assert.deepEqual(summarize(zeroCounters(), 0), {
      clicks: 0,
      unique_clicks: 0,
      real_clicks: 0,
      bot_clicks: 0,
      vpn_clicks: 0,
      cloaked_clicks: 0,
      conversions: 0,
      revenue: 0,
      cost: 0,
      profit: 0,
      roi: 0,
      cr: 0,
      epc: 0,
      lp_clicks: 0,
      lp_ctr: 0,
      suspicious_conversions: 0,
    });
    assert.equal(summarize(counters({ clicks: 3, conversions: 1, revenue: 10 }), 0).cr, 0);
    assert.equal(summarizeFraud(zeroCounters(), 0).fraud_rate, 0);
  });

  it('rounds money and percentages to 2 decimals, half away from zero', () => {
    assert.equal(round2(1.005), 1.01);
    assert.equal(round2(2 / 3), 0.67);
    assert.equal(summarize(counters({ clicks: 3, real_clicks: 3, conversions: 1, revenue: 10 }), 1).cr, 33.33);
  });
});
