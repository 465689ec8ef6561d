import { AppError, type ErrorDetails } from '../../errors.ts';
import type { FlowPathInput } from '../../schemas/flow.ts';
import { DEFAULT_RULE_NAME } from './flow.enums.ts';
import type { Flow } from './flow.ts';

/** The account's offers and landers among those a flow names. */
export interface OwnedTargets {
  readonly offerIds: ReadonlySet<number>;
  readonly landerIds: ReadonlySet<number>;
}

const country = (code: string) => (code.toUpperCase() === 'UK' ? 'GB' : code.toUpperCase());

function normalisePaths(paths: readonly FlowPathInput[]): FlowPathInput[] {
  return paths.map((path) => ({
    weight: path.weight,
    ...(path.lander_id ? { lander_id: path.lander_id } : {}),
    offers: path.offers.map((offer) => ({ offer_id: offer.offer_id, weight: offer.weight })),
  }));
}

/**
 * The checks a JSON schema cannot express, each problem named by its place in the flow
 * (`flow.rules[2].paths[0].offers[1].offer_id`), all reported at once: rule names unique and not the
 * reserved "default", every offer and lander the account's own. Returns the flow as stored: codes
 * upper-cased (countries) or lower-cased (languages), rotation explicit.
 */
export function checkFlow(flow: Flow, owned: OwnedTargets): Flow {
  const details: ErrorDetails = {};
  const problem = (place: string, message: string) => (details[place] ??= []).push(message);
  const checkPaths = (paths: readonly FlowPathInput[], place: string) =>
    paths.forEach((path, p) => {
      if (path.lander_id && !owned.landerIds.has(path.lander_id))
        problem(`${place}[${p}].lander_id`, `Lander ${path.lander_id} does not exist`);
      path.offers.forEach((offer, o) => {
        if (!owned.offerIds.has(offer.offer_id))
          problem(`${place}[${p}].offers[${o}].offer_id`, `Offer ${offer.offer_id} does not exist`);
      });
    });
  const names = new Set<string>();
  flow.rules.forEach((rule, r) => {
    const name = rule.name.trim().toLowerCase();
    if (name === DEFAULT_RULE_NAME)
      problem(`flow.rules[${r}].name`, `"${DEFAULT_RULE_NAME}" is reserved for the flow's default paths`);
    else if (names.has(name)) problem(`flow.rules[${r}].name`, `Rule name "${rule.name}" is used twice`);
    names.add(name);
    checkPaths(rule.paths, `flow.rules[${r}].paths`);
  });
  checkPaths(flow.paths, 'flow.paths');
  const first = Object.values(details)[0]?.[0];
  if (first !== undefined) throw new AppError('VALIDATION_ERROR', first, details);
  return {
    rules: flow.rules.map((rule) => ({
      name: rule.name.trim(),
      when: {
        ...rule.when,
        ...(rule.when.country ? { country: [...new Set(rule.when.country.map(country))] } : {}),
        ...(rule.when.language ? { language: rule.when.language.map((code) => code.toLowerCase()) } : {}),
      },
      paths: normalisePaths(rule.paths),
    })),
    paths: normalisePaths(flow.paths),
    rotation: flow.rotation ?? 'weights',
  };
}
