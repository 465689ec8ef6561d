import { findIpInList } from '../cidr.ts';
import { CRAWLER_COMPANY_NAMES, VERIFIED_CRAWLERS, type VerifiedCrawler } from '../lists/verified-crawlers.ts';
import { memoize } from '../memo.ts';
import { NO_SIGNALS, defineRule } from '../rule.ts';
import type { DetectionInput, ReverseDnsAnswer, Signal } from '../types.ts';

/**
 * Four callers ask this of every click (the tracker and three rules), and each answer costs a pass of
 * every crawler's pattern: remembered per user agent, as real traffic repeats a few thousand of them.
 */
const claimedCrawler = memoize(
  (userAgent: string): VerifiedCrawler | null =>
    VERIFIED_CRAWLERS.find((crawler) => crawler.pattern.test(userAgent)) ?? null,
  { entries: 4_096, maxKeyLength: 512 },
);

/** The crawler a user agent claims to be, whether or not the claim is true. */
export function findClaimedCrawler(userAgent: string): VerifiedCrawler | null {
  if (userAgent === '') return null;
  return claimedCrawler(userAgent);
}

function describeNetwork(input: DetectionInput): string {
  const { asn, asOrg } = input.ip;
  if (asn === null) return `an unknown network (${input.visitor.ip})`;
  return asOrg ? `AS${asn} ${asOrg}` : `AS${asn}`;
}

function verified(crawler: VerifiedCrawler, where: string): Signal {
  return { type: 'verified_bot', message: `${crawler.name} from ${where} is a verified ${crawler.purpose}`, score: 0 };
}

/** A published range that holds the address: from the loaded lists first, else one built into the crawler's entry. */
function findPublishedRange(crawler: VerifiedCrawler, input: DetectionInput): string | null {
  const listed = input.ip.reputation.crawler;
  if (listed && listed.company === crawler.company) return listed.entry;
  return (crawler.ranges && findIpInList(input.visitor.ip, crawler.ranges)?.source) ?? null;
}

/** Whether the loaded ranges (downloaded or shipped) include the company's: otherwise "not in them" proves nothing. */
function rangesCover(crawler: VerifiedCrawler, input: DetectionInput): boolean {
  const { crawler: listed, crawlerCompanies } = input.ip.reputation;
  return crawlerCompanies ? crawlerCompanies.includes(crawler.company) : listed !== null;
}

const isUnder = (name: string, domains: readonly string[]) => domains.some((domain) => name.endsWith(`.${domain}`));

/** A name under the crawler's documented domains that resolves back to the address. */
function confirmedName(crawler: VerifiedCrawler, answer: ReverseDnsAnswer | undefined): string | null {
  if (!answer || !crawler.reverseDns) return null;
  const domains = crawler.reverseDns;
  return answer.confirmed.find((name) => isUnder(name, domains)) ?? null;
}

/** What reverse DNS said against the claim, for the reason ("" when it was not looked up or gave no answer). */
function reverseDnsNote(crawler: VerifiedCrawler, answer: ReverseDnsAnswer | undefined): string {
  if (!answer || !crawler.reverseDns || answer.error !== null) return '';
  const domains = crawler.reverseDns;
  const claimed = answer.names.find((name) => isUnder(name, domains));
  if (claimed !== undefined) return `; its reverse DNS name ${claimed} does not resolve back to it`;
  if (answer.names.length === 0) return '; it has no reverse DNS name';
  return `; its reverse DNS name ${answer.names[0]} is outside ${domains.join(' and ')}`;
}

function verify(crawler: VerifiedCrawler, input: DetectionInput): Signal {
  const company = CRAWLER_COMPANY_NAMES[crawler.company];
  const { asn } = input.ip;
  const network = describeNetwork(input);
  // The company's own network: nobody else can send from it, whatever the published lists say.
  if (asn !== null && crawler.asns.includes(asn)) return verified(crawler, network);
  const range = findPublishedRange(crawler, input);
  if (range !== null) return verified(crawler, `${input.visitor.ip}, in ${company}'s published range ${range},`);
  const name = confirmedName(crawler, input.reverseDns);
  if (name !== null) return verified(crawler, `${input.visitor.ip} (${name}, forward-confirmed reverse DNS)`);

  const checkable = crawler.asns.length > 0 || crawler.ranges !== undefined || crawler.reverseDns !== undefined;
  if (!checkable && !rangesCover(crawler, input)) {
    // Nothing to check the claim against: not proof of a fake, but not verified either, so it is an
    // ordinary bot (the score isbot's crawlers get), never a verified one.
    const message = `User agent claims to be ${crawler.name} (${company}), which only ${company}'s published crawler ranges can verify, and none are loaded`;
    return { type: 'bot', message, score: 90 };
  }
  // A cloud the company rents out vouches for nobody: anyone can take a machine there and borrow the name.
  const where =
    asn !== null && crawler.sharedAsns?.includes(asn)
      ? `${network}, a cloud network ${company} shares with its customers, outside ${company}'s published crawler ranges`
      : `${network}, not a ${company} network`;
  // Someone borrowing a crawler's name to get waved through is as sure a bot as it gets.
  const message = `User agent claims to be ${crawler.name} (${company}) but comes from ${where}${reverseDnsNote(crawler, input.reverseDns)}`;
  return { type: 'bot', message, score: 95 };
}

/**
 * Crawlers ad platforms use to check landing pages are let through and never counted as fraud,
 * but only when they come from their company's own network, its published ranges or a name its
 * forward-confirmed reverse DNS vouches for; impostors are bots.
 */
export const verifiedCrawlerRule = defineRule({
  name: 'verified-crawler',
  type: 'verified_bot',
  defaults: {},
  evaluate(input) {
    const crawler = findClaimedCrawler(input.visitor.userAgent);
    return crawler === null ? NO_SIGNALS : [verify(crawler, input)];
  },
});
