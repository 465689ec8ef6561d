// Every enumerated list the API shows has one source constant. These tests read the OpenAPI document
// the server publishes and fail when a list drifts from its source: a value added to the constant but
// not to a hand-written copy in a schema, an enum written out anew, or the dashboard's lists.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLICK_STATUSES, DEVICE_TYPES, FRAUD_TYPE_ORDER } from '../../src/detection/index.ts';
import {
  API_KEY_SCOPES,
  MEMBER_STATUSES,
  PERMISSIONS,
  PLANS,
  ROLES,
} from '../../src/modules/accounts/account.enums.ts';
import { CAMPAIGN_STATUSES, COST_MODELS, FRAUD_ACTIONS } from '../../src/modules/campaigns/campaign.enums.ts';
import { CLICK_ACTIONS, COST_SOURCES, SUB_ID_NAMES } from '../../src/modules/clicks/click.enums.ts';
import { CONVERSION_STATUSES } from '../../src/modules/conversions/conversion.enums.ts';
import { BEACON_IGNORED_REASONS, BEACON_RESULTS, BEACON_STATES } from '../../src/modules/clicks/beacon.enums.ts';
import {
  AD_PLATFORMS,
  FRAUD_REPORT_STATUSES,
  IP_EXCLUSION_FORMATS,
} from '../../src/modules/fraud-reports/fraud-report.enums.ts';
import { ANALYTICS_DIMENSIONS } from '../../src/modules/stats/dimensions.ts';
import { LIST_FORMATS } from '../../src/modules/exports/export.enums.ts';
import { REPORT_DIMENSIONS, REPORT_METRICS, REPORT_SOURCES } from '../../src/modules/reports/report.enums.ts';
import { ANALYTICS_SORTS, SORT_ORDERS } from '../../src/modules/stats/stats.enums.ts';
import { PLATFORMS, TEMPLATE_KINDS } from '../../src/modules/traffic-sources/traffic-source.enums.ts';
import { TEMPLATE_IDS } from '../../src/modules/traffic-sources/templates.ts';
import { PLACEMENT_EXCLUSION_FORMATS, PLACEMENT_SORTS } from '../../src/modules/traffic-sources/placement.enums.ts';
import { DELIVERY_STATUSES } from '../../src/modules/webhooks/webhook.enums.ts';
import {
  CONNECTION_LOG_OUTCOMES,
  CONNECTION_PLATFORMS,
  CONNECTION_STATUSES,
} from '../../src/modules/connections/connection.enums.ts';
import { POSTBACK_STATUSES } from '../../src/modules/postbacks/postback.enums.ts';
import { WEBHOOK_EVENT_TYPES } from '../../src/modules/webhooks/webhook-events.ts';
import { CONNECTIONS, OFFER_STATUSES, ROTATIONS, WEEKDAYS } from '../../src/modules/flows/flow.enums.ts';
import { AUDIT_ACTIONS, AUDIT_RESOURCES } from '../../src/modules/audit/audit.enums.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

interface SourceList {
  readonly name: string;
  readonly values: readonly string[];
  /** `METHOD /path field`: where the document must show exactly these values, in this order. */
  readonly at: readonly string[];
}

const LISTS: readonly SourceList[] = [
  {
    name: 'offer statuses',
    values: OFFER_STATUSES,
    at: ['GET /api/v1/offers status', 'POST /api/v1/offers status', 'PUT /api/v1/offers/{id} status'],
  },
  {
    name: 'flow rotations',
    values: ROTATIONS,
    at: ['POST /api/v1/campaigns rotation', 'PUT /api/v1/campaigns/{id} rotation', 'GET /api/v1/campaigns rotation'],
  },
  { name: 'flow connections', values: CONNECTIONS, at: ['POST /api/v1/campaigns connection'] },
  { name: 'weekdays', values: WEEKDAYS, at: ['POST /api/v1/campaigns weekday'] },
  {
    name: 'fraud types',
    values: FRAUD_TYPE_ORDER,
    at: ['POST /api/v1/campaigns blocked_fraud_types', 'PUT /api/v1/campaigns/{id} blocked_fraud_types'],
  },
  { name: 'beacon states', values: BEACON_STATES, at: ['GET /api/v1/clicks/{clickid} beacon_state'] },
  { name: 'beacon results', values: BEACON_RESULTS, at: ['POST /api/v1/beacon result'] },
  { name: 'beacon ignored reasons', values: BEACON_IGNORED_REASONS, at: ['POST /api/v1/beacon reason'] },
  {
    name: 'click statuses',
    values: CLICK_STATUSES,
    at: ['GET /api/v1/clicks status', 'GET /api/v1/clicks/{clickid} status'],
  },
  {
    name: 'device types',
    values: DEVICE_TYPES,
    at: ['POST /api/v1/campaigns allowed_devices', 'POST /api/v1/campaigns device'],
  },
  {
    name: 'campaign statuses',
    values: CAMPAIGN_STATUSES,
    at: ['GET /api/v1/campaigns status', 'POST /api/v1/campaigns status', 'PUT /api/v1/campaigns/{id} status'],
  },
  { name: 'cost models', values: COST_MODELS, at: ['POST /api/v1/campaigns cost_model'] },
  { name: 'fraud actions', values: FRAUD_ACTIONS, at: ['POST /api/v1/campaigns fraud_action'] },
  {
    name: 'conversion statuses',
    values: CONVERSION_STATUSES,
    at: [
      'GET /api/v1/conversions status',
      'POST /api/v1/conversions status',
      'GET /api/v1/postback status',
      'POST /api/v1/traffic-sources postback_statuses',
      'PUT /api/v1/traffic-sources/{id} postback_statuses',
      'GET /api/v1/traffic-sources/{id} postback_statuses',
    ],
  },
  {
    name: 'fraud report statuses',
    values: FRAUD_REPORT_STATUSES,
    at: ['GET /api/v2/fraud/report/{id} status', 'GET /api/v2/fraud/reports status'],
  },
  {
    name: 'ad platforms',
    values: AD_PLATFORMS,
    at: ['POST /api/v2/fraud/report platform', 'GET /api/v2/fraud/reports platform'],
  },
  {
    name: 'ip exclusion formats',
    values: IP_EXCLUSION_FORMATS,
    at: ['GET /api/v2/fraud/report/{id}/ip-exclusions format'],
  },
  {
    name: 'traffic source platforms',
    values: PLATFORMS,
    at: [
      'GET /api/v1/traffic-sources platform',
      'POST /api/v1/traffic-sources platform',
      'GET /api/v1/traffic-source-templates platform',
    ],
  },
  {
    name: 'traffic source templates',
    values: TEMPLATE_IDS,
    at: [
      'POST /api/v1/traffic-sources template',
      'GET /api/v1/traffic-sources/{id} template',
      'GET /api/v1/traffic-source-templates id',
    ],
  },
  { name: 'template kinds', values: TEMPLATE_KINDS, at: ['GET /api/v1/traffic-source-templates kind'] },
  { name: 'plans', values: PLANS, at: ['GET /api/v1/account plan'] },
  {
    name: 'member roles',
    values: ROLES,
    at: ['GET /api/v1/members role', 'POST /api/v1/members role', 'PATCH /api/v1/members/{id} role'],
  },
  { name: 'member statuses', values: MEMBER_STATUSES, at: ['GET /api/v1/members status'] },
  {
    name: 'audit resources',
    values: AUDIT_RESOURCES,
    at: ['GET /api/v1/audit-log resource_type'],
  },
  { name: 'audit actions', values: AUDIT_ACTIONS, at: ['GET /api/v1/audit-log action'] },
  { name: 'permissions', values: PERMISSIONS, at: ['GET /api/v1/members/me permissions'] },
  { name: 'api key scopes', values: API_KEY_SCOPES, at: ['POST /api/v1/api-keys scope', 'GET /api/v1/api-keys scope'] },
  { name: 'click actions', values: CLICK_ACTIONS, at: ['GET /api/v1/clicks action'] },
  { name: 'click cost sources', values: COST_SOURCES, at: ['GET /api/v1/clicks cost_source'] },
  { name: 'delivery statuses', values: DELIVERY_STATUSES, at: ['GET /api/v1/webhooks/{id}/deliveries status'] },
  {
    name: 'ad platforms',
    values: CONNECTION_PLATFORMS,
    at: ['POST /api/v1/connections platform', 'GET /api/v1/connections platform'],
  },
  { name: 'connection statuses', values: CONNECTION_STATUSES, at: ['GET /api/v1/connections status'] },
  {
    name: 'connection log outcomes',
    values: CONNECTION_LOG_OUTCOMES,
    at: ['GET /api/v1/connections/{id}/log outcome'],
  },
  {
    name: 'postback log statuses',
    values: POSTBACK_STATUSES,
    at: ['GET /api/v1/traffic-sources/{id}/postbacks status'],
  },
  {
    name: 'webhook event types',
    values: WEBHOOK_EVENT_TYPES,
    at: ['POST /api/v1/webhooks events', 'PUT /api/v1/webhooks/{id} events'],
  },
  { name: 'analytics dimensions', values: ANALYTICS_DIMENSIONS, at: ['GET /api/v2/analytics/{dimension} dimension'] },
  { name: 'analytics sorts', values: ANALYTICS_SORTS, at: ['GET /api/v2/analytics/{dimension} sort'] },
  {
    name: 'sort orders',
    values: SORT_ORDERS,
    at: ['GET /api/v2/analytics/{dimension} order', 'GET /api/v1/traffic-sources/{id}/placements order'],
  },
  { name: 'placement sorts', values: PLACEMENT_SORTS, at: ['GET /api/v1/traffic-sources/{id}/placements sort'] },
  {
    name: 'placement exclusion formats',
    values: PLACEMENT_EXCLUSION_FORMATS,
    at: ['GET /api/v1/traffic-sources/{id}/placement-exclusions format'],
  },
  { name: 'report dimensions', values: REPORT_DIMENSIONS, at: ['GET /api/v2/reports group_by'] },
  { name: 'report sources', values: REPORT_SOURCES, at: ['GET /api/v2/reports source'] },
  { name: 'list formats', values: LIST_FORMATS, at: ['GET /api/v1/clicks format', 'GET /api/v1/conversions format'] },
];

/** The reference's example of GET /api/v2/fraud/stats lists fraud_by_type in this order. */
const REFERENCE_FRAUD_BY_TYPE = ['bot', 'duplicate', 'vpn', 'datacenter', 'rapid_fire', 'click_farm'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Found {
  readonly place: string;
  readonly values: readonly Json[];
}

const isObject = (node: Json | undefined): node is { [key: string]: Json } =>
  typeof node === 'object' && node !== null && !Array.isArray(node);

/** Every `enum` under an operation, named by the property or parameter it belongs to. */
function enumsOf(spec: Json): Found[] {
  const found: Found[] = [];
  const walk = (node: Json | undefined, route: string, field: string) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, route, isObject(item) && typeof item.name === 'string' ? item.name : field);
      return;
    }
    if (!isObject(node)) return;
    if (Array.isArray(node.enum)) found.push({ place: `${route} ${field}`, values: node.enum });
    for (const [key, child] of Object.entries(node)) {
      if (key === 'properties' && isObject(child))
        for (const [name, property] of Object.entries(child)) walk(property, route, name);
      else walk(child, route, field);
    }
  };
  const paths = isObject(spec) ? spec.paths : undefined;
  assert.ok(isObject(paths), 'the document has paths');
  for (const [path, operations] of Object.entries(paths))
    if (isObject(operations))
      for (const [method, operation] of Object.entries(operations))
        walk(operation, `${method.toUpperCase()} ${path}`, '');
  return found;
}

/** The `properties` of `fraud_by_type` in an operation's 200 or 201 answer. */
function fraudByTypeKeys(spec: Json, route: string): string[] {
  const keys: string[][] = [];
  const walk = (node: Json | undefined) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    const properties = node.properties;
    if (isObject(properties) && isObject(properties.fraud_by_type) && isObject(properties.fraud_by_type.properties))
      keys.push(Object.keys(properties.fraud_by_type.properties));
    Object.values(node).forEach(walk);
  };
  const [method, path] = route.split(' ') as [string, string];
  assert.ok(isObject(spec) && isObject(spec.paths) && isObject(spec.paths[path]), `${path} documented`);
  walk(spec.paths[path][method.toLowerCase()]);
  assert.equal(keys.length, 1, `${route} has one fraud_by_type`);
  return keys[0]!;
}

describe('enumerated lists: one source each', () => {
  let t: TestApp | undefined;
  let spec: Json = null;
  let found: Found[] = [];
  before(async () => {
    t = await createTestApp(DIALECTS[0]!);
    const response = await t.request({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(response.statusCode, 200);
    spec = response.json<Json>();
    found = enumsOf(spec);
  });
  after(async () => {
    await t?.app.close();
  });

  test('the OpenAPI document shows each source list, in its order, where the API takes or gives it', () => {
    for (const list of LISTS)
      for (const place of list.at) {
        const here = found.filter((item) => item.place === place);
        assert.ok(here.length > 0, `${list.name}: no enum at ${place}`);
        for (const item of here) assert.deepEqual(item.values, list.values, `${list.name} at ${place}`);
      }
  });

  test('every enum in the document is one of the source lists (none written out anew)', () => {
    const strings = found.filter((item) => item.values.some((value) => typeof value === 'string'));
    // Guard against looping over nothing: the document has dozens of enumerated fields.
    assert.ok(strings.length > 50, `only ${strings.length} enums found`);
    const known = new Set(LISTS.map((list) => JSON.stringify(list.values)));
    for (const item of strings)
      assert.ok(known.has(JSON.stringify(item.values)), `${item.place}: ${JSON.stringify(item.values)} has no source`);
  });

  test('fraud_by_type counts every fraud type, in the order each answer shows them', () => {
    const report = fraudByTypeKeys(spec, 'GET /api/v2/fraud/report/{id}');
    assert.deepEqual(report, [...FRAUD_TYPE_ORDER], 'a report lists them by precedence');
    const stats = fraudByTypeKeys(spec, 'GET /api/v2/fraud/stats');
    assert.deepEqual(stats, REFERENCE_FRAUD_BY_TYPE, "the statistics keep the reference's order");
    assert.deepEqual([...stats].sort(), [...FRAUD_TYPE_ORDER].sort(), 'the same fraud types');
  });
});

test("the dashboard's lists are the sources', in the same order", async () => {
  // Imported by URL: the dashboard is compiled by web/tsconfig.json, not this project's. The file's only
  // import is of types, so it runs here as it is; tsc -p web/tsconfig.json checks it names every value.
  const file = fileURLToPath(new URL('../../web/src/api/enums.ts', import.meta.url));
  const web = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const expected: Record<string, readonly string[]> = {
    FRAUD_TYPES: FRAUD_TYPE_ORDER,
    DEVICE_TYPES,
    CLICK_STATUSES,
    API_KEY_SCOPES,
    CONVERSION_STATUSES,
    SUB_ID_NAMES,
    ROLES,
    AUDIT_RESOURCES,
    AUDIT_ACTIONS,
  };
  for (const [name, values] of Object.entries(expected)) assert.deepEqual(web[name], values, name);
  const labelled: Record<string, readonly string[]> = {
    CAMPAIGN_STATUS_LABELS: CAMPAIGN_STATUSES,
    COST_MODEL_LABELS: COST_MODELS,
    FRAUD_ACTION_LABELS: FRAUD_ACTIONS,
    AD_PLATFORM_LABELS: AD_PLATFORMS,
    SOURCE_PLATFORM_LABELS: PLATFORMS,
    REPORT_DIMENSION_LABELS: REPORT_DIMENSIONS,
    REPORT_METRIC_LABELS: REPORT_METRICS,
  };
  for (const [name, values] of Object.entries(labelled))
    assert.deepEqual(Object.keys(web[name] as object), values, `${name}: one label per value, in order`);
});
