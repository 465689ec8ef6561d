import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect, type TestApp } from '../helpers/test-app.ts';
import { CLICK_DESTINATION, sendClick } from '../helpers/clicks.ts';

async function setUp(t: TestApp) {
  const { token } = await t.signUp();
  const response = await t.request({
    method: 'POST',
    url: '/api/v1/campaigns',
    token,
    payload: { name: 'Events', destination_url: CLICK_DESTINATION },
  });
  assert.equal(response.statusCode, 201, response.body);
  return { token, campaign: response.json().data as { id: number; uuid: string } };
}

const convert = (t: TestApp, token: string, payload: Record<string, unknown>) =>
  t.request({ method: 'POST', url: '/api/v1/conversions', token, payload });
const postback = (t: TestApp, params: Record<string, string>) =>
  t.request({ method: 'GET', url: `/api/v1/postback?${new URLSearchParams(params).toString()}` });

forEachDialect('conversion events', (ctx) => {
  test('a click converts once per event; the default event is conversion; every response carries it', async () => {
    const t = ctx();
    const { token, campaign } = await setUp(t);
    const clickId = await sendClick(t, campaign.uuid, { ip: '84.130.0.1' });
    const plain = await convert(t, token, { click_id: clickId, payout: 1 });
    assert.equal(plain.statusCode, 201, plain.body);
    assert.equal(plain.json().data.event, 'conversion');
    const lead = await convert(t, token, { click_id: clickId, event: 'lead', payout: 2 });
    assert.equal(lead.statusCode, 201, lead.body);
    assert.equal(lead.json().data.event, 'lead');
    const sale = await postback(t, { clickid: clickId, event: 'sale', payout: '30', txid: 'order-7' });
    assert.equal(sale.statusCode, 201, sale.body);
    assert.equal(sale.json().data.event, 'sale');

    // A second of the same event (no txid, or a fresh txid) is the same conversion, unchanged.
    const again = await convert(t, token, { click_id: clickId, event: 'lead', payout: 99 });
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().data.id, lead.json().data.id);
    assert.equal(again.json().data.payout, 2);
    const freshTx = await postback(t, { clickid: clickId, event: 'sale', txid: 'order-8' });
    assert.equal(freshTx.statusCode, 200, freshTx.body);
    assert.equal(freshTx.json().data.id, sale.json().data.id);
    const defaultAgain = await postback(t, { clickid: clickId });
    assert.equal(defaultAgain.statusCode, 200);
    assert.equal(defaultAgain.json().data.id, plain.json().data.id);

    // The same txid for another event is refused, naming event; without event it updates the sale.
    const clash = await postback(t, { clickid: clickId, event: 'lead', txid: 'order-7' });
    assert.equal(clash.statusCode, 400, clash.body);
    assert.ok(clash.json().error.details?.event, clash.body);
    const update = await postback(t, { clickid: clickId, txid: 'order-7', status: 'pending' });
    assert.equal(update.statusCode, 200, update.body);
    assert.equal(update.json().data.event, 'sale');
    assert.equal(update.json().data.status, 'pending');

    const list = await t.request({ method: 'GET', url: `/api/v1/conversions?campaign_id=${campaign.id}`, token });
    assert.equal(list.statusCode, 200, list.body);
    assert.deepEqual(
      list
        .json()
        .data.map((c: { event: string }) => c.event)
        .sort(),
      ['conversion', 'lead', 'sale'],
    );
  });

  test('a bad event is a 400 naming event, on both entry points', async () => {
    const t = ctx();
    const { token, campaign } = await setUp(t);
    const clickId = await sendClick(t, campaign.uuid, { ip: '84.130.0.2' });
    for (const event of ['Sale', 'a-b', '', 'x'.repeat(33), 'lead ', 'é']) {
      const api = await convert(t, token, { click_id: clickId, event });
      assert.equal(api.statusCode, 400, `${event} → ${api.body}`);
      assert.equal(api.json().error.code, 'VALIDATION_ERROR');
      assert.ok(api.json().error.details?.event, api.body);
      if (event === '') continue; // an empty optional postback parameter counts as absent
      const pb = await postback(t, { clickid: clickId, event });
      assert.equal(pb.statusCode, 400, `${event} → ${pb.body}`);
      assert.ok(pb.json().error.details?.event, pb.body);
    }
    const wrongType = await convert(t, token, { click_id: clickId, event: 5 });
    assert.equal(wrongType.statusCode, 400);
    const none = await t.request({ method: 'GET', url: `/api/v1/conversions?campaign_id=${campaign.id}`, token });
    assert.equal(none.json().data.length, 0);
  });

  test('event is an analytics dimension: conversions and revenue per event, no clicks or cost', async () => {
    const t = ctx();
    const { token, campaign } = await setUp(t);
    const clicks = [];
    for (let i = 0; i < 3; i += 1) clicks.push(await sendClick(t, campaign.uuid, { ip: `84.130.1.${i + 1}` }));
    await convert(t, token, { click_id: clicks[0], event: 'lead', payout: 1.5 });
    await convert(t, token, { click_id: clicks[1], event: 'lead', payout: 2 });
    await convert(t, token, { click_id: clicks[1], event: 'sale', payout: 40 });
    await convert(t, token, { click_id: clicks[2], payout: 5, transaction_id: 'tx-r', status: 'approved' });
    // Rejected later: it leaves the rollups, under its event too.
    await convert(t, token, { click_id: clicks[2], transaction_id: 'tx-r', status: 'rejected' });
    await t.app.services.statsFolder.foldAll();

    const response = await t.request({
      method: 'GET',
      url: `/api/v2/analytics/event?campaign_id=${campaign.id}`,
      token,
    });
    assert.equal(response.statusCode, 200, response.body);
    const rows: Array<{ value: string; clicks: number; conversions: number; revenue: number }> = response.json().data;
    assert.deepEqual(
      rows.map(({ value, clicks: n, conversions, revenue }) => ({ value, clicks: n, conversions, revenue })),
      [
        { value: 'lead', clicks: 0, conversions: 2, revenue: 3.5 },
        { value: 'sale', clicks: 0, conversions: 1, revenue: 40 },
      ],
    );
    // The totals still count each click once and every counted conversion.
    const stats = await t.request({ method: 'GET', url: `/api/v1/stats?campaign_id=${campaign.id}`, token });
    assert.equal(stats.statusCode, 200, stats.body);
    assert.equal(stats.json().data.clicks, 3);
    assert.equal(stats.json().data.conversions, 3);
  });
});
