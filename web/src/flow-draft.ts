import type { Connection, DeviceType, Flow, FlowCondition, FlowPath, FlowRule, Rotation, Weekday } from './api/enums';

// The flow editor's state: what the inputs hold (text, as typed), turned into the API's `flow` only on
// save. Checking is the API's job (it names the place of each problem, flow.rules[2].paths[0]…), so the
// conversion below does not second-guess the input: a bad country code goes to the server as typed and
// its message comes back next to the field.

export interface OfferShareDraft {
  offer_id: string;
  weight: string;
}

export interface PathDraft {
  weight: string;
  /** '' = straight to the offer(s), no lander. */
  lander_id: string;
  offers: OfferShareDraft[];
}

export interface RuleDraft {
  name: string;
  country: string;
  device: DeviceType[];
  os: string;
  browser: string;
  language: string;
  connection: '' | Connection;
  /** One parameter per line: `utm_source=fb, ig`. */
  params: string;
  weekday: Weekday[];
  /** UTC hours and ranges: `9-17, 22`. */
  hour: string;
  paths: PathDraft[];
}

export interface FlowDraft {
  enabled: boolean;
  rules: RuleDraft[];
  paths: PathDraft[];
  rotation: Rotation;
}

export const newPath = (): PathDraft => ({ weight: '1', lander_id: '', offers: [{ offer_id: '', weight: '1' }] });

export const newRule = (name: string): RuleDraft => ({
  name,
  country: '',
  device: [],
  os: '',
  browser: '',
  language: '',
  connection: '',
  params: '',
  weekday: [],
  hour: '',
  paths: [newPath()],
});

const words = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);

/** `9-17, 22` → [9…17, 22]; anything unreadable is passed on as NaN for the API to refuse at its place. */
export function parseHours(text: string): number[] {
  const hours: number[] = [];
  for (const item of words(text)) {
    const range = /^(\d{1,2})-(\d{1,2})$/.exec(item);
    if (range) {
      for (let h = Number(range[1]); h <= Number(range[2]); h++) hours.push(h);
    } else hours.push(Number(item));
  }
  return [...new Set(hours)];
}

/** Consecutive hours written back as ranges, so an edited rule reads as it was typed. */
function formatHours(hours: readonly number[]): string {
  const sorted = [...hours].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i]!;
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i]! + 1) i++;
    parts.push(start === sorted[i] ? String(start) : `${start}-${sorted[i]}`);
  }
  return parts.join(', ');
}

export function parseParams(text: string): Record<string, string[]> {
  const params: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at < 0) continue;
    const name = line.slice(0, at).trim();
    if (name)
      params[name] = line
        .slice(at + 1)
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
  }
  return params;
}

function pathToDraft(path: FlowPath): PathDraft {
  return {
    weight: String(path.weight),
    lander_id: path.lander_id ? String(path.lander_id) : '',
    offers: path.offers.map((offer) => ({ offer_id: String(offer.offer_id), weight: String(offer.weight) })),
  };
}

function ruleToDraft(rule: FlowRule): RuleDraft {
  const when = rule.when;
  return {
    name: rule.name,
    country: (when.country ?? []).join(', '),
    device: (when.device ?? []) as DeviceType[],
    os: (when.os ?? []).join(', '),
    browser: (when.browser ?? []).join(', '),
    language: (when.language ?? []).join(', '),
    connection: when.connection ?? '',
    params: Object.entries(when.params ?? {})
      .map(([name, values]) => `${name}=${values.join(', ')}`)
      .join('\n'),
    weekday: when.weekday ?? [],
    hour: formatHours(when.hour ?? []),
    paths: rule.paths.map(pathToDraft),
  };
}

export function flowToDraft(flow: Flow | null | undefined): FlowDraft {
  if (!flow) return { enabled: false, rules: [], paths: [newPath()], rotation: 'weights' };
  return {
    enabled: true,
    rules: flow.rules.map(ruleToDraft),
    paths: flow.paths.map(pathToDraft),
    rotation: flow.rotation ?? 'weights',
  };
}

const id = (text: string) => Number(text);

function draftToPath(path: PathDraft): FlowPath {
  return {
    weight: Number(path.weight),
    ...(path.lander_id ? { lander_id: id(path.lander_id) } : {}),
    offers: path.offers.map((offer) => ({ offer_id: id(offer.offer_id), weight: Number(offer.weight) })),
  };
}

/** Only the conditions the rule names: an empty field means "any", as the API's `when` does. */
export function draftToCondition(rule: RuleDraft): FlowCondition {
  const when: FlowCondition = {};
  if (words(rule.country).length) when.country = words(rule.country).map((c) => c.toUpperCase());
  if (rule.device.length) when.device = rule.device;
  if (words(rule.os).length) when.os = words(rule.os);
  if (words(rule.browser).length) when.browser = words(rule.browser);
  if (words(rule.language).length) when.language = words(rule.language).map((l) => l.toLowerCase());
  if (rule.connection) when.connection = rule.connection;
  const params = parseParams(rule.params);
  if (Object.keys(params).length) when.params = params;
  if (rule.weekday.length) when.weekday = rule.weekday;
  if (words(rule.hour).length) when.hour = parseHours(rule.hour);
  return when;
}

export function draftToFlow(draft: FlowDraft): Flow {
  return {
    rules: draft.rules.map((rule) => ({
      name: rule.name.trim(),
      when: draftToCondition(rule),
      paths: rule.paths.map(draftToPath),
    })),
    paths: draft.paths.map(draftToPath),
    rotation: draft.rotation,
  };
}

/**
 * The API's messages for one place of the flow: the place itself and everything below it, unless it
 * belongs to a more specific place the editor shows on its own (`except`), e.g. a rule's own box shows
 * `flow.rules[1].name` and `flow.rules[1].when.country` but leaves `flow.rules[1].paths[0]…` to its path.
 */
export function messagesAt(
  details: Record<string, string[]> | undefined,
  place: string,
  except: readonly string[] = [],
): string[] {
  if (!details) return [];
  const under = (key: string, prefix: string) =>
    key === prefix || key.startsWith(`${prefix}.`) || key.startsWith(`${prefix}[`);
  return Object.entries(details)
    .filter(([key]) => under(key, place) && !except.some((inner) => under(key, inner)))
    .flatMap(([key, messages]) => {
      const inner = key.slice(place.length).replace(/^\./, '');
      return messages.map((message) => (inner ? `${inner}: ${message}` : message));
    });
}
