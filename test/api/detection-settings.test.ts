import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp } from '../helpers/http-app.ts';

forEachDialectOverHttp(
  'detection settings',
  (ctx) => {
    test('defaults, changes, and null restoring a default', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const initial = (await t.request({ method: 'GET', url: '/api/v1/detection-settings', token })).json().data;
      assert.equal(initial.thresholds.duplicate_window_ms, 86_400_000);
      assert.equal(initial.thresholds.click_farm_lines_max_devices, 6);
      assert.deepEqual(initial.thresholds, initial.defaults);
      assert.deepEqual(initial.ip_allowlist, []);
      assert.equal(initial.updated_at, null);
      const changed = await t.request({
        method: 'PUT',
        url: '/api/v1/detection-settings',
        token,
        payload: {
          thresholds: { duplicate_window_ms: 3_600_000, click_farm_lines_max_devices: 12 },
          ip_allowlist: ['198.51.100.0/24'],
        },
      });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.equal(changed.json().data.thresholds.duplicate_window_ms, 3_600_000);
      assert.equal(changed.json().data.thresholds.click_farm_lines_max_devices, 12);
      assert.deepEqual(changed.json().data.ip_allowlist, ['198.51.100.0/24']);
      const restored = await t.request({
        method: 'PUT',
        url: '/api/v1/detection-settings',
        token,
        payload: { thresholds: { duplicate_window_ms: null } },
      });
      assert.equal(restored.json().data.thresholds.duplicate_window_ms, 86_400_000);
      assert.deepEqual(restored.json().data.ip_allowlist, ['198.51.100.0/24'], 'lists not sent stay');
    });

    test('bad input', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const cases: Array<[object, string]> = [
        [{ thresholds: { duplicate_window_ms: 10 } }, 'thresholds.duplicate_window_ms'],
        [{ thresholds: { duplicate_window_ms: 'long' } }, 'thresholds.duplicate_window_ms'],
        [{ thresholds: { bogus_setting: 1 } }, 'thresholds.bogus_setting'],
        // The line window counts devices per subnet: 0, a fraction or more than it keeps could never work.
        [{ thresholds: { click_farm_lines_max_devices: 0 } }, 'thresholds.click_farm_lines_max_devices'],
        [{ thresholds: { click_farm_lines_max_devices: 6.5 } }, 'thresholds.click_farm_lines_max_devices'],
        [{ thresholds: { click_farm_lines_max_devices: 128 } }, 'thresholds.click_farm_lines_max_devices'],
        [{ thresholds: { click_farm_lines_max_devices: '6' } }, 'thresholds.click_farm_lines_max_devices'],
        [{ ip_blocklist: ['999.1.1.1'] }, 'ip_blocklist'],
        [{ ip_allowlist: 'everyone' }, 'ip_allowlist'],
        [{ colour: 'red' }, 'colour'],
      ];
      for (const [payload, field] of cases) {
        const response = await t.request({ method: 'PUT', url: '/api/v1/detection-settings', token, payload });
        assert.equal(response.statusCode, 400, JSON.stringify(payload));
        assert.ok(response.json().error.details[field], `${field} in ${response.body}`);
      }
      assert.equal(
        (await t.request({ method: 'PUT', url: '/api/v1/detection-settings', token, payload: {} })).statusCode,
        400,
      );
      assert.equal((await t.request({ method: 'GET', url: '/api/v1/detection-settings' })).statusCode, 401);
      const after = (await t.request({ method: 'GET', url: '/api/v1/detection-settings', token })).json().data;
      assert.equal(after.updated_at, null, 'nothing was stored');
    });

    test('each account has its own settings; a read-only key cannot change them', async () => {
      const t = ctx();
      const owner = await t.signUp();
      const other = await t.signUp();
      await t.request({
        method: 'PUT',
        url: '/api/v1/detection-settings',
        token: owner.token,
        payload: { ip_blocklist: ['203.0.113.0/24'] },
      });
      assert.deepEqual(
        (await t.request({ method: 'GET', url: '/api/v1/detection-settings', token: other.token })).json().data
          .ip_blocklist,
        [],
      );
      const key = (
        await t.request({ method: 'POST', url: '/api/v1/api-keys', token: owner.token, payload: { scope: 'read' } })
      ).json().data;
      const readToken = (
        await t.request({
          method: 'POST',
          url: '/api/v1/auth/token',
          payload: { api_key: key.api_key, api_secret: key.api_secret },
        })
      ).json().token;
      const denied = await t.request({
        method: 'PUT',
        url: '/api/v1/detection-settings',
        token: readToken,
        payload: { ip_blocklist: [] },
      });
      assert.equal(denied.statusCode, 403);
    });

    test('the tracker applies the account lists at once', async () => {
      const t = ctx();
      const { token, uuid } = await t.createCampaign();
      await t.request({
        method: 'PUT',
        url: '/api/v1/detection-settings',
        token,
        payload: { ip_allowlist: ['84.128.5.0/24'], ip_blocklist: ['84.128.6.6'] },
      });
      const office = await t.visit(`/c/${uuid}`, { 'x-forwarded-for': '84.128.5.9', 'user-agent': 'curl/8.4.0' });
      assert.equal(office.status, 302);
      const blocked = await t.visit(`/c/${uuid}`, { 'x-forwarded-for': '84.128.6.6' });
      assert.equal(blocked.status, 403);
      const clicks = (await t.request({ method: 'GET', url: '/api/v1/clicks', token })).json().data;
      const statuses = clicks.map((c: { status: string }) => c.status).sort();
      assert.deepEqual(statuses, ['cloaked', 'real']);
    });
  },
  { TRUST_PROXY: '127.0.0.1' },
);
