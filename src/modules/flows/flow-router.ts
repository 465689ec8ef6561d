import { DEFAULT_RULE_NAME, WEEKDAYS, type Connection, type Rotation } from './flow.enums.ts';
import type { Flow } from './flow.ts';
import type { FlowConditionInput, FlowPathInput } from '../../schemas/flow.ts';

/**
 * The hot path's side of flows: a campaign's flow is compiled once (when the campaign cache loads it)
 * into predicates and cumulative weights, so a click costs a few set look-ups and one hash. Pure: no
 * I/O, no clock, no randomness of its own (the caller passes the visit's time and seed).
 */

export interface FlowOffer {
  readonly id: number;
  readonly url: string;
}

export interface FlowLander {
  readonly id: number;
  readonly url: string;
}

/**
 * What rules may look at: the visitor's request and the time, never the verdict or the detector's
 * findings (the product boundary, SPEC section 8). Strings are as clicks store them, except `os` and
 * `browser`, lower-cased, and `language`, the first Accept-Language's primary tag, lower-cased.
 */
export interface FlowVisit {
  readonly country: string | null;
  readonly device: string;
  readonly os: string | null;
  readonly browser: string | null;
  readonly language: string | null;
  /** Null when no rule of the flow asks (it costs a look-up): see CompiledFlow.needsConnection. */
  readonly connection: Connection | null;
  readonly query: Readonly<Record<string, string>>;
  /** 0 = Monday … 6 = Sunday, UTC. */
  readonly weekday: number;
  /** 0…23, UTC. */
  readonly hour: number;
}

export interface CompiledPath {
  /** 1-based, as clicks record it. */
  readonly index: number;
  readonly lander: FlowLander | null;
  readonly offers: readonly FlowOffer[];
  readonly offerCumulative: Float64Array;
}

export interface CompiledRule {
  readonly name: string;
  readonly matches: (visit: FlowVisit) => boolean;
  readonly paths: readonly CompiledPath[];
  /** The configured shares (sum 1), in path order. */
  readonly shares: Float64Array;
  readonly cumulative: Float64Array;
}

export interface CompiledFlow {
  readonly rules: readonly CompiledRule[];
  readonly fallback: CompiledRule;
  readonly rotation: Rotation;
  readonly needsConnection: boolean;
}

/** Where one visit goes. */
export interface FlowRoute {
  readonly rule: string;
  readonly path: number;
  readonly lander: FlowLander | null;
  readonly offer: FlowOffer;
}

function cumulativeOf(weights: readonly number[]): Float64Array {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cumulative = new Float64Array(weights.length);
  let running = 0;
  for (let i = 0; i < weights.length; i++) {
    running += weights[i]! / total;
    cumulative[i] = running;
  }
  return cumulative;
}

/** The index whose share `u` (0 ≤ u < 1) falls into. */
function pick(cumulative: Float64Array, u: number): number {
  const last = cumulative.length - 1;
  for (let i = 0; i < last; i++) if (u < cumulative[i]!) return i;
  return last;
}

const ALWAYS = () => true;

function compileCondition(when: FlowConditionInput): (visit: FlowVisit) => boolean {
  const tests: Array<(visit: FlowVisit) => boolean> = [];
  const set = (values: readonly string[], lower = false) => new Set(values.map((v) => (lower ? v.toLowerCase() : v)));
  if (when.country) {
    const countries = set(when.country);
    tests.push((visit) => visit.country !== null && countries.has(visit.country));
  }
  if (when.device) {
    const devices = set(when.device);
    tests.push((visit) => devices.has(visit.device));
  }
  if (when.os) {
    const systems = set(when.os, true);
    tests.push((visit) => visit.os !== null && systems.has(visit.os));
  }
  if (when.browser) {
    const browsers = set(when.browser, true);
    tests.push((visit) => visit.browser !== null && browsers.has(visit.browser));
  }
  if (when.language) {
    const languages = set(when.language, true);
    tests.push((visit) => visit.language !== null && languages.has(visit.language));
  }
  if (when.connection) {
    const connection = when.connection;
    tests.push((visit) => visit.connection === connection);
  }
  if (when.params) {
    for (const [name, values] of Object.entries(when.params)) {
      const accepted = set(values);
      tests.push((visit) => Object.hasOwn(visit.query, name) && accepted.has(visit.query[name]!));
    }
  }
  if (when.weekday) {
    const days = new Set(when.weekday.map((day) => WEEKDAYS.indexOf(day)));
    tests.push((visit) => days.has(visit.weekday));
  }
  if (when.hour) {
    const hours = new Set(when.hour);
    tests.push((visit) => hours.has(visit.hour));
  }
  if (tests.length === 0) return ALWAYS;
  if (tests.length === 1) return tests[0]!;
  return (visit) => {
    for (const test of tests) if (!test(visit)) return false;
    return true;
  };
}

function compilePaths(
  paths: readonly FlowPathInput[],
  offers: ReadonlyMap<number, FlowOffer>,
  landers: ReadonlyMap<number, FlowLander>,
): { paths: CompiledPath[]; weights: number[] } {
  const compiled: CompiledPath[] = [];
  const weights: number[] = [];
  paths.forEach((path, i) => {
    // An offer or lander deleted under a flow (a race with the delete's check) drops what needed it.
    const present = path.offers.filter((offer) => offers.has(offer.offer_id));
    const lander = path.lander_id ? landers.get(path.lander_id) : undefined;
    if (present.length === 0 || (path.lander_id && !lander)) return;
    compiled.push({
      index: i + 1,
      lander: lander ?? null,
      offers: present.map((offer) => offers.get(offer.offer_id)!),
      offerCumulative: cumulativeOf(present.map((offer) => offer.weight)),
    });
    weights.push(path.weight);
  });
  return { paths: compiled, weights };
}

function compileRule(
  name: string,
  matches: (visit: FlowVisit) => boolean,
  paths: readonly FlowPathInput[],
  offers: ReadonlyMap<number, FlowOffer>,
  landers: ReadonlyMap<number, FlowLander>,
): CompiledRule {
  const compiled = compilePaths(paths, offers, landers);
  const cumulative = cumulativeOf(compiled.weights);
  const total = compiled.weights.reduce((sum, weight) => sum + weight, 0);
  return {
    name,
    matches,
    paths: compiled.paths,
    shares: Float64Array.from(compiled.weights, (weight) => weight / total),
    cumulative,
  };
}

export function compileFlow(
  flow: Flow,
  offers: ReadonlyMap<number, FlowOffer>,
  landers: ReadonlyMap<number, FlowLander>,
): CompiledFlow {
  return Object.freeze({
    rules: flow.rules
      .map((rule) => compileRule(rule.name, compileCondition(rule.when), rule.paths, offers, landers))
      .filter((rule) => rule.paths.length > 0),
    fallback: compileRule(DEFAULT_RULE_NAME, ALWAYS, flow.paths, offers, landers),
    rotation: flow.rotation ?? 'weights',
    needsConnection: flow.rules.some((rule) => rule.when.connection !== undefined),
  });
}

/** The first rule whose conditions all hold, else the default paths. */
export function matchRule(flow: CompiledFlow, visit: FlowVisit): CompiledRule {
  for (const rule of flow.rules) if (rule.matches(visit)) return rule;
  return flow.fallback;
}

/** 32-bit mixing (MurmurHash3's finaliser): spreads nearby inputs over the whole range. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A visitor's seed on a campaign: FNV-1a of the visitor key (IP and user agent, visitorHash) and the
 * campaign, mixed. The same person on the same campaign always draws the same numbers, so a visitor
 * who comes back (within the duplicate window or later) sees the same lander and offer while the
 * flow's shares are unchanged; different visitors' draws are uniform, so shares hold over many clicks.
 */
export function visitSeed(visitorKey: string, campaignId: number): number {
  let h = 0x811c9dc5 ^ campaignId;
  for (let i = 0; i < visitorKey.length; i++) h = Math.imul(h ^ visitorKey.charCodeAt(i), 0x01000193);
  return mix(h);
}

const TO_UNIT = 1 / 0x1_0000_0000;

/**
 * Where the visit goes: its rule, a path by the rule's shares (or, with auto rotation, the cumulative
 * shares `autoShares` gives for the rule, in path order), and an offer by the path's offer weights. Two independent draws from one seed. Null when the
 * matching rule has no usable path (every offer of the default paths deleted).
 */
export function routeVisit(
  flow: CompiledFlow,
  visit: FlowVisit,
  seed: number,
  autoShares?: (rule: CompiledRule) => Float64Array | undefined,
): FlowRoute | null {
  const rule = matchRule(flow, visit);
  if (rule.paths.length === 0) return null;
  const cumulative = (flow.rotation === 'auto' && autoShares?.(rule)) || rule.cumulative;
  const path = rule.paths[pick(cumulative, seed * TO_UNIT)]!;
  const offer = path.offers[pick(path.offerCumulative, mix(seed ^ 0x9e3779b9) * TO_UNIT)]!;
  return { rule: rule.name, path: path.index, lander: path.lander, offer };
}

/** Cumulative shares from plain shares, for auto rotation's tables. */
export const cumulativeShares = (shares: readonly number[]): Float64Array => cumulativeOf(shares);
