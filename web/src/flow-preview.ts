import type { Connection, DeviceType, Weekday } from './api/enums';
import { WEEKDAYS } from './api/enums';
import { draftToCondition, type FlowDraft, type PathDraft } from './flow-draft';

/**
 * A preview of where a visitor goes, computed in the browser from the flow being edited (before it
 * is saved). It follows the tracker's rules (flow-router.ts): rules in order, the first whose every
 * named condition holds wins, else the default paths; countries compare upper-case, os, browser and
 * language lower-case. It shows the configured shares; with auto rotation the tracker moves them
 * toward the better EPC (never below 10 % a path), which a preview cannot know.
 */

export interface SampleVisitor {
  country: string;
  device: DeviceType;
  os: string;
  browser: string;
  language: string;
  connection: Connection;
  /** A query string as the tracking URL would carry it: `utm_source=fb&zone=12`. */
  query: string;
  weekday: Weekday;
  hour: number;
}

export interface PreviewPath {
  share: number;
  lander: string | null;
  offers: Array<{ name: string; share: number }>;
}

export interface Preview {
  /** The rule's name, or null for the default paths. */
  rule: string | null;
  paths: PreviewPath[];
}

export type Names = ReadonlyMap<number, string>;

const lower = (values: readonly string[] | undefined) => values?.map((v) => v.toLowerCase());

function matches(draft: FlowDraft['rules'][number], visitor: SampleVisitor): boolean {
  const when = draftToCondition(draft);
  const query = new URLSearchParams(visitor.query.replace(/^\?/, ''));
  const has = (list: readonly string[] | undefined, value: string) => !list || list.includes(value);
  return (
    has(when.country, visitor.country.trim().toUpperCase()) &&
    has(when.device, visitor.device) &&
    has(lower(when.os), visitor.os.trim().toLowerCase()) &&
    has(lower(when.browser), visitor.browser.trim().toLowerCase()) &&
    has(when.language, visitor.language.trim().toLowerCase()) &&
    (!when.connection || when.connection === visitor.connection) &&
    Object.entries(when.params ?? {}).every(([name, values]) => query.has(name) && values.includes(query.get(name)!)) &&
    has(when.weekday, visitor.weekday) &&
    (!when.hour || when.hour.includes(visitor.hour))
  );
}

/** Shares in percent of positive weights; a weight that is not yet a positive number counts as none. */
function shares(weights: readonly string[]): number[] {
  const numbers = weights.map((w) => (Number(w) > 0 ? Number(w) : 0));
  const total = numbers.reduce((sum, n) => sum + n, 0);
  return numbers.map((n) => (total > 0 ? (n / total) * 100 : 0));
}

function previewPaths(paths: readonly PathDraft[], offers: Names, landers: Names): PreviewPath[] {
  const pathShares = shares(paths.map((p) => p.weight));
  return paths.map((path, i) => {
    const offerShares = shares(path.offers.map((o) => o.weight));
    return {
      share: pathShares[i]!,
      lander: path.lander_id ? (landers.get(Number(path.lander_id)) ?? `lander #${path.lander_id}`) : null,
      offers: path.offers.map((offer, o) => ({
        name: offers.get(Number(offer.offer_id)) ?? (offer.offer_id ? `offer #${offer.offer_id}` : 'no offer chosen'),
        share: offerShares[o]!,
      })),
    };
  });
}

export function previewFlow(draft: FlowDraft, visitor: SampleVisitor, offers: Names, landers: Names): Preview {
  const rule = draft.rules.find((candidate) => matches(candidate, visitor));
  return {
    rule: rule ? rule.name : null,
    paths: previewPaths(rule ? rule.paths : draft.paths, offers, landers),
  };
}

/** 70 → "70 %", 33.333 → "33.3 %". */
export const share = (value: number) => `${Number(value.toFixed(1))} %`;

function describePath(path: PreviewPath): string {
  const offers =
    path.offers.length === 1
      ? `offer ${path.offers[0]!.name}`
      : `offers ${path.offers.map((o) => `${o.name} ${share(o.share)}`).join(' / ')}`;
  return path.lander ? `lander ${path.lander} → ${offers}` : offers;
}

/** "a visitor from DE on mobile (Android) goes to rule “DE” → lander A → offers X 70 % / Y 30 %". */
export function describePreview(preview: Preview, visitor: SampleVisitor): string {
  const details = [visitor.os, visitor.browser, visitor.language && `language ${visitor.language}`]
    .map((d) => d.trim())
    .filter(Boolean);
  const who = `A visitor from ${visitor.country.trim().toUpperCase() || 'an unknown country'} on ${visitor.device}${
    details.length ? ` (${details.join(', ')})` : ''
  }`;
  const where = preview.rule === null ? 'no rule matches: the default paths' : `rule “${preview.rule}”`;
  const paths =
    preview.paths.length === 1
      ? describePath(preview.paths[0]!)
      : preview.paths.map((p) => `${share(p.share)}: ${describePath(p)}`).join('; ');
  return `${who} goes to ${where} → ${paths}`;
}

export const SAMPLE_VISITOR: SampleVisitor = {
  country: 'DE',
  device: 'mobile',
  os: 'Android',
  browser: 'Chrome',
  language: 'de',
  connection: 'mobile',
  query: '',
  weekday: WEEKDAYS[(new Date().getUTCDay() + 6) % 7]!,
  hour: new Date().getUTCHours(),
};
