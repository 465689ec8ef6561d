// The accuracy report, as markdown for BENCHMARKS.md and (with more detail) for the terminal.
import { CLICK_STATUSES, FRAUD_TYPE_ORDER } from '../../src/detection/index.ts';
import { markdownTable } from '../tracker/report.ts';
import { HUMAN_FALSE_POSITIVE_GOAL, POPULATION_GOALS, type Finding, type Judged, type Scores } from './accuracy.ts';
import { int, pct } from './report.ts';

export interface RunFacts {
  when: string;
  machine: string;
  commit: string;
  command: string;
  clicks: number;
  seed: number;
  hours: number;
  seconds: number;
  listsLoaded: string;
  pools: { ranges: number; bad: number };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const mark = (ok: boolean) => (ok ? 'met' : '**not met**');
const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The headers detection reads, as the example sent them: what a rule author needs to see. */
const SHOWN_HEADERS = [
  'sec-ch-ua',
  'sec-ch-ua-mobile',
  'sec-ch-ua-platform',
  'sec-fetch-site',
  'sec-fetch-mode',
  'sec-fetch-dest',
  'sec-fetch-user',
  'accept',
  'accept-language',
  'accept-encoding',
  'referer',
];

export function describeExample({ click, verdict }: Judged, verbose: boolean): string {
  const network = verdict ? `AS${verdict.asn ?? '?'} ${verdict.asOrg ?? ''} (${verdict.country ?? '??'})`.trim() : '';
  const ua = click.headers['user-agent'];
  const present = SHOWN_HEADERS.filter((name) => click.headers[name] !== undefined);
  const missing = SHOWN_HEADERS.filter(
    (name) => click.headers[name] === undefined && !['referer', 'sec-fetch-user'].includes(name),
  );
  const headerText = verbose
    ? present.map((name) => `${name}: ${click.headers[name]}`).join('; ')
    : `${missing.length > 0 ? `without ${missing.join(', ')}` : 'all browser headers'}${click.headers['sec-ch-ua-platform'] ? `; sec-ch-ua-platform ${click.headers['sec-ch-ua-platform']}` : ''}${click.headers['accept-language'] ? `; accept-language ${click.headers['accept-language']}` : ''}`;
  const outcome = verdict
    ? `→ ${verdict.status} [${verdict.fraudTypes.join(', ')}]${verdict.reasons.length > 0 ? ` "${shorten(verdict.reasons.map((reason) => reason.message).join(' / '), verbose ? 400 : 160)}"` : ''}`
    : '→ no verdict';
  const position = click.position !== undefined ? ` #${click.position}` : '';
  return `${click.ip} ${network}${position}; UA ${ua === undefined ? '(none)' : `"${shorten(ua, verbose ? 300 : 110)}"`}; ${headerText} ${outcome}`;
}

function promisesTable(scores: Scores): string {
  const { humans, crawlers } = scores;
  const fpRate = humans.clicks === 0 ? 0 : humans.flaggedNonDuplicate / humans.clicks;
  const withShared =
    humans.clicks === 0 ? 0 : (humans.flaggedNonDuplicate + humans.sharedAddressDuplicates) / humans.clicks;
  return markdownTable(
    ['measure', 'result', 'goal', ''],
    [
      [
        'human clicks flagged with a fraud type other than duplicate',
        `${pct(humans.flaggedNonDuplicate, humans.clicks, 2)} (${int(humans.flaggedNonDuplicate)} of ${int(humans.clicks)})`,
        '< 1%',
        mark(fpRate < HUMAN_FALSE_POSITIVE_GOAL),
      ],
      [
        '… counting also duplicates of different people on one carrier NAT address',
        `${pct(humans.flaggedNonDuplicate + humans.sharedAddressDuplicates, humans.clicks, 2)} (+${int(humans.sharedAddressDuplicates)} duplicates by the SPEC's IP + user agent key)`,
        '–',
        withShared < HUMAN_FALSE_POSITIVE_GOAL ? 'under 1%' : 'over 1%',
      ],
      [
        'human clicks marked duplicate, other than the above, without an earlier click',
        int(humans.duplicateWithoutRepeat - humans.sharedAddressDuplicates),
        '0',
        mark(humans.duplicateWithoutRepeat === humans.sharedAddressDuplicates),
      ],
      [
        'genuine re-clicks (same person, same campaign, 24 h) marked duplicate',
        `${pct(humans.genuineRepeatsFound, humans.genuineRepeats)} (${int(humans.genuineRepeatsFound)} of ${int(humans.genuineRepeats)})`,
        '100%',
        mark(humans.genuineRepeatsFound === humans.genuineRepeats),
      ],
      [
        'verified ad crawlers let through (302, status bot, no fraud type)',
        `${pct(crawlers.letThrough, crawlers.clicks)} (${int(crawlers.letThrough)} of ${int(crawlers.clicks)})`,
        '100%',
        mark(crawlers.letThrough === crawlers.clicks),
      ],
    ],
  );
}

function typesTable(scores: Scores, listsWired: boolean): string {
  return markdownTable(
    ['fraud type', 'clicks that have it', 'flagged', 'precision', 'recall'],
    scores.types.map((type) => [
      type.type,
      int(type.support),
      int(type.flagged),
      type.flagged === 0 ? '–' : pct(type.correct, type.flagged),
      type.type === 'vpn' && !listsWired ? 'not wired yet' : pct(type.found, type.support),
    ]),
  );
}

function populationTable(scores: Scores): string {
  const rows = scores.populations
    .filter((population) => population.clicks > 0)
    .map((population) => {
      const judged = population.clicks - population.noVerdict;
      const goal = POPULATION_GOALS[population.id];
      const key = goal
        ? `${goal.type} ${pct(population.keyTypeFound, judged)}`
        : population.id.startsWith('human')
          ? `no flag ${pct(judged - population.anyFraud, judged)}`
          : '–';
      const goalText = goal?.goal
        ? `≥ ${goal.goal * 100}% ${mark(population.keyTypeFound / Math.max(1, judged) >= goal.goal)}`
        : '–';
      const types = FRAUD_TYPE_ORDER.map((type) =>
        population.byType[type] ? pct(population.byType[type]!, judged, 0) : '·',
      );
      return [
        cell(population.title),
        int(population.clicks),
        ...CLICK_STATUSES.map((status) =>
          population.byStatus[status] ? pct(population.byStatus[status]!, judged, 0) : '·',
        ),
        ...types,
        key,
        goalText,
      ];
    });
  return markdownTable(
    ['population', 'clicks', ...CLICK_STATUSES, ...FRAUD_TYPE_ORDER, 'recall of its type', 'goal'],
    rows,
  );
}

/** The largest groups, at most three of one kind per population, so one weakness does not fill the list. */
function diverse(weak: readonly Finding[], count: number): Finding[] {
  const perKind = new Map<string, number>();
  const chosen: Finding[] = [];
  for (const finding of weak) {
    const key = `${finding.kind}\n${finding.population}`;
    if ((perKind.get(key) ?? 0) >= 3) continue;
    perKind.set(key, (perKind.get(key) ?? 0) + 1);
    chosen.push(finding);
    if (chosen.length === count) break;
  }
  return chosen;
}

function findingsList(weak: readonly Finding[], count: number, verbose: boolean): string {
  if (weak.length === 0) return 'Nothing missed, nothing wrongly flagged.';
  return diverse(weak, count)
    .map(
      (finding, i) =>
        `${i + 1}. **${finding.kind}** · ${finding.population} · ${int(finding.count)} clicks · ${cell(finding.group)}  \n   e.g. ${cell(describeExample(finding.example, verbose))}`,
    )
    .join('\n');
}

function positionTable(scores: Scores): string {
  const rows = scores.positions.flatMap((position) =>
    position.buckets
      .filter((bucket) => bucket.clicks > 0)
      .map((bucket) => [
        position.population,
        bucket.label,
        int(bucket.clicks),
        `${position.type} ${pct(bucket.found, bucket.clicks)}`,
      ]),
  );
  return markdownTable(['population', 'position in its burst / farm session', 'clicks', 'recall'], rows);
}

export function renderAccuracy(
  scores: Scores,
  weak: readonly Finding[],
  facts: RunFacts,
  options: { examples: number },
): string {
  const listsWired = facts.listsLoaded !== '';
  return [
    `Measured ${facts.when} UTC on ${facts.machine}; code ${facts.commit}.`,
    '',
    `Command: \`${facts.command}\``,
    '',
    `Settings: ${int(facts.clicks)} clicks simulated over ${facts.hours} h by \`src/demo/\` (seed ${facts.seed}; the traffic of \`cloakradar demo\`, bigger), ` +
      'sent one at a time through `buildApp` + `app.inject` (the real tracking route, visitor, enrichment, detection and group commit) on SQLite in a temporary folder, ' +
      `TRUST_PROXY=127.0.0.1 with the simulated X-Forwarded-For and X-Forwarded-Proto: https; the app reads a simulated clock set to each click's time, so detection windows see the real gaps (${facts.seconds.toFixed(0)} s for the run). ` +
      `Default detection settings; campaigns in \`monitor\` mode without targeting. IP lists: ${listsWired ? `\`src/demo/fixtures\` loaded through \`intel update\`'s code (${facts.listsLoaded})` : 'not wired yet'}. ` +
      `Address pools: ${facts.pools.ranges} ranges of real networks, ${facts.pools.bad === 0 ? 'every sampled address resolves to its listed ASN and country' : `${facts.pools.bad} with sampled addresses outside their listed ASN or country`}. ` +
      'Labels say what a click is, not what the rules manage: every click of a burst or farm counts as rapid-fire or click-farm, its first clicks too: those are flagged after the fact, once a later click of the same address, device or subnet reveals the burst or farm (stored verdicts are read after the run).',
    '',
    '**The promises**',
    '',
    promisesTable(scores),
    '',
    '**Per fraud type** (precision: flagged clicks for which the type is right or acceptable, e.g. `datacenter` on a VPN exit; recall: clicks that have the type and got it)',
    '',
    typesTable(scores, listsWired),
    '',
    '**Per population**: share of its clicks with each status and each fraud type, and the recall of its own type',
    '',
    populationTable(scores),
    '',
    '**Bursts and farms by position**: the first clicks are flagged once a later one reveals the group',
    '',
    positionTable(scores),
    '',
    '**Weakest spots**: the largest groups of missed or wrongly flagged clicks, with one example each',
    '',
    findingsList(weak, options.examples, false),
  ].join('\n');
}

export function renderConsole(
  scores: Scores,
  weak: readonly Finding[],
  facts: RunFacts,
  options: { examples: number; verbose: boolean },
): string {
  return renderAccuracy(scores, weak, facts, options).replace(
    findingsList(weak, options.examples, false),
    findingsList(weak, options.examples * 2, options.verbose),
  );
}
