import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileFlow, matchRule, type FlowVisit } from '../../src/modules/flows/flow-router.ts';
import { WEEKDAYS } from '../../src/modules/flows/flow.enums.ts';
import type { Flow } from '../../src/modules/flows/flow.ts';

/**
 * The dashboard's flow preview is worked out in the browser (web/src/flow-preview.ts); the tracker
 * routes with src/modules/flows/flow-router.ts. This checks that they agree on the rule for a grid
 * of visitors, over a flow that names every kind of condition, and that the editor's draft gives
 * back the flow it was loaded from.
 */

interface Visitor {
  country: string;
  device: string;
  os: string;
  browser: string;
  language: string;
  connection: 'mobile' | 'broadband';
  query: string;
  weekday: (typeof WEEKDAYS)[number];
  hour: number;
}
interface DraftModule {
  flowToDraft(flow: Flow): unknown;
  draftToFlow(draft: unknown): Flow;
  messagesAt(details: Record<string, string[]>, place: string, except?: readonly string[]): string[];
  parseHours(text: string): number[];
}
interface PreviewModule {
  previewFlow(
    draft: unknown,
    visitor: Visitor,
    offers: ReadonlyMap<number, string>,
    landers: ReadonlyMap<number, string>,
  ): { rule: string | null; paths: Array<{ share: number; lander: string | null; offers: unknown[] }> };
  describePreview(preview: unknown, visitor: Visitor): string;
}

// Imported by URL, as test/api/enumerations.test.ts does: the dashboard is compiled by web/tsconfig.json.
const load = async <T>(file: string) =>
  (await import(pathToFileURL(fileURLToPath(new URL(`../../web/src/${file}`, import.meta.url))).href)) as T;

const path = (offer: number, lander?: number) => ({
  weight: 1,
  ...(lander ? { lander_id: lander } : {}),
  offers: [{ offer_id: offer, weight: 1 }],
});

const FLOW: Flow = {
  rules: [
    { name: 'campaign param', when: { params: { utm_source: ['fb', 'ig'] } }, paths: [path(1)] },
    { name: 'DE android', when: { country: ['DE', 'AT'], os: ['Android'] }, paths: [path(2, 9)] },
    { name: 'mobile carrier', when: { device: ['mobile'], connection: 'mobile' }, paths: [path(3)] },
    { name: 'french evenings', when: { language: ['fr'], hour: [18, 19, 20, 21, 22] }, paths: [path(4)] },
    { name: 'weekend safari', when: { weekday: ['sat', 'sun'], browser: ['Safari'] }, paths: [path(5)] },
  ],
  paths: [path(6), { weight: 3, offers: [{ offer_id: 7, weight: 1 }] }],
  rotation: 'weights',
};

test("the dashboard's preview picks the rule the tracker picks", async () => {
  const { flowToDraft, draftToFlow } = await load<DraftModule>('flow-draft.ts');
  const { previewFlow, describePreview } = await load<PreviewModule>('flow-preview.ts');
  const draft = flowToDraft(FLOW);
  assert.deepEqual(draftToFlow(draft), FLOW, "the editor's draft gives back the flow it loaded");

  const offers = new Map([1, 2, 3, 4, 5, 6, 7].map((id) => [id, `O${id}`]));
  const compiled = compileFlow(
    FLOW,
    new Map([...offers.keys()].map((id) => [id, { id, url: `https://o${id}.example/` }])),
    new Map([[9, { id: 9, url: 'https://l.example/' }]]),
  );
  const seen = new Set<string>();
  let checked = 0;
  for (const country of ['DE', 'at', 'US'])
    for (const os of ['Android', 'iOS'])
      for (const device of ['mobile', 'desktop'])
        for (const connection of ['mobile', 'broadband'] as const)
          for (const language of ['fr', 'de'])
            for (const [weekday, browser] of [
              ['sat', 'Safari'],
              ['mon', 'Safari'],
              ['sun', 'Chrome'],
            ] as const)
              for (const hour of [3, 20])
                for (const query of ['', 'utm_source=ig', 'utm_source=tt']) {
                  const visitor: Visitor = { country, device, os, browser, language, connection, query, weekday, hour };
                  const visit: FlowVisit = {
                    country: country.toUpperCase(),
                    device,
                    os: os.toLowerCase(),
                    browser: browser.toLowerCase(),
                    language,
                    connection,
                    query: Object.fromEntries(new URLSearchParams(query)),
                    weekday: WEEKDAYS.indexOf(weekday),
                    hour,
                  };
                  const expected = matchRule(compiled, visit).name;
                  const preview = previewFlow(draft, visitor, offers, new Map([[9, 'L']]));
                  assert.equal(preview.rule ?? 'default', expected, JSON.stringify(visitor));
                  seen.add(expected);
                  checked++;
                }
  assert.equal(checked, 3 * 2 * 2 * 2 * 2 * 3 * 2 * 3);
  assert.deepEqual([...seen].sort(), [...FLOW.rules.map((rule) => rule.name), 'default'].sort(), 'every rule taken');

  // The sentence: shares of the default's two paths (1 : 3), and a lander path.
  const nowhere: Visitor = {
    country: 'US',
    device: 'desktop',
    os: 'Windows',
    browser: 'Chrome',
    language: 'en',
    connection: 'broadband',
    query: '',
    weekday: 'mon',
    hour: 3,
  };
  assert.equal(
    describePreview(previewFlow(draft, nowhere, offers, new Map()), nowhere),
    'A visitor from US on desktop (Windows, Chrome, language en) goes to no rule matches: the default paths → 25 %: offer O6; 75 %: offer O7',
  );
  const german = { ...nowhere, country: 'de', os: 'android' };
  assert.match(
    describePreview(previewFlow(draft, german, offers, new Map([[9, 'L']])), german),
    /goes to rule “DE android” → lander L → offer O2$/,
  );
});

test("the API's messages go to the place in the editor that the API names", async () => {
  const { messagesAt, parseHours } = await load<DraftModule>('flow-draft.ts');
  const details = {
    'flow.rules': ['must NOT have more than 100 items'],
    'flow.rules[1].name': ['"default" is reserved'],
    'flow.rules[1].when.colour': ['must NOT have additional properties'],
    'flow.rules[1].paths[0].weight': ['must be > 0'],
    'flow.rules[1].paths[0].offers[1].offer_id': ['Offer 9 does not exist'],
    'flow.rules[10].name': ['used twice'],
    'flow.paths[0].lander_id': ['Lander 4 does not exist'],
  };
  const rule = 'flow.rules[1]';
  // The flow's own box: what no rule or default path shows ("flow.rules[1]" is not "flow.rules[10]").
  assert.deepEqual(messagesAt(details, 'flow', [rule, 'flow.rules[10]', 'flow.paths']), [
    'rules: must NOT have more than 100 items',
  ]);
  assert.deepEqual(messagesAt(details, `${rule}.name`), ['"default" is reserved']);
  // The rule's box: a condition it has no input for; its paths keep theirs.
  assert.deepEqual(messagesAt(details, rule, [`${rule}.name`, `${rule}.paths`]), [
    'when.colour: must NOT have additional properties',
  ]);
  assert.deepEqual(messagesAt(details, `${rule}.paths[0].weight`), ['must be > 0']);
  assert.deepEqual(messagesAt(details, `${rule}.paths[0].offers[1]`), ['offer_id: Offer 9 does not exist']);
  assert.deepEqual(messagesAt(details, 'flow.paths[0].lander_id'), ['Lander 4 does not exist']);
  assert.deepEqual(parseHours('9-11, 22 10'), [9, 10, 11, 22]);
});
