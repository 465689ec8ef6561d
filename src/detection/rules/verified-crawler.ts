import { findIpInList } from '../cidr.ts';
import { CRAWLER_COMPANY_NAMES, VERIFIED_CRAWLERS, type VerifiedCrawler } from '../lists/verified-crawlers.ts';
import { NO_SIGNALS, defineRule } from '../rule.ts';
import type { DetectionInput, Signal } from '../types.ts';

/** The crawler a user agent claims to be, whether or not the claim is true. */
export function findClaimedCrawler(userAgent: string): VerifiedCrawler | null {
  if (userAgent === '') return null;
  return VERIFIED_CRAWLERS.find((crawler) => crawler.pattern.test(userAgent)) ?? null;
}

function describeNetwork(input: DetectionInput): string {
  const { asn, asOrg } = input.ip;
  if (asn === null) return `an unknown network (${input.visitor.ip})`;
  return asOrg ? `AS${asn} ${asOrg}` : `AS${asn}`;
}

function verified(crawler: VerifiedCrawler, where: string, note = ''): Signal {
  return {
    type: 'verified_bot',
    message: `${crawler.name} from ${where} is a verified ${crawler.purpose}${note}`,
    score: 0,
  };
}

/** A published range that holds the address: from the loaded lists first, else one built into the crawler's entry. */
function findPublishedRange(crawler: VerifiedCrawler, input: DetectionInput): string | null {
  const listed = input.ip.reputation.crawler;
  if (listed && listed.company === crawler.company) return listed.entry;
  return (crawler.ranges && findIpInList(input.visitor.ip, crawler.ranges)?.source) ?? null;
}

function verify(crawler: VerifiedCrawler, input: DetectionInput): Signal {
  const company = CRAWLER_COMPANY_NAMES[crawler.company];
  const { asn } = input.ip;
  const network = describeNetwork(input);
  // The company's own network: nobody else can send from it, whatever the published lists say.
  if (asn !== null && crawler.asns.includes(asn)) return verified(crawler, network);
  const range = findPublishedRange(crawler, input);
  if (range !== null) return verified(crawler, `${input.visitor.ip}, in ${company}'s published range ${range},`);

  const rangesLoaded = input.ip.reputation.crawler !== null;
  if (asn !== null && crawler.sharedAsns?.includes(asn)) {
    if (!rangesLoaded) {
      // Without the published ranges a cloud customer using the crawler's name passes too; the reason
      // says the network alone vouched, so a reader can weigh it.
      return verified(
        crawler,
        network,
        ` (by its network alone: ${company} also rents this network to cloud customers, and no published crawler ranges are loaded)`,
      );
    }
    const message = `User agent claims to be ${crawler.name} (${company}) but comes from ${network}, a cloud network ${company} shares with its customers, outside ${company}'s published crawler ranges`;
    return { type: 'bot', message, score: 95 };
  }
  if (!rangesLoaded && crawler.asns.length === 0 && crawler.sharedAsns === undefined && crawler.ranges === undefined) {
    // Nothing to check the claim against: not proof of a fake, but not verified either, so it is an
    // ordinary bot (the score isbot's crawlers get), never a verified one.
    const message = `User agent claims to be ${crawler.name} (${company}), which only ${company}'s published crawler ranges can verify, and none are loaded`;
    return { type: 'bot', message, score: 90 };
  }
  // Someone borrowing a crawler's name to get waved through is as sure a bot as it gets.
  const message = `User agent claims to be ${crawler.name} (${company}) but comes from ${network}, not a ${company} network`;
  return { type: 'bot', message, score: 95 };
}

/**
 * Crawlers ad platforms use to check landing pages are let through and never counted as fraud,
 * but only when they come from their company's network or published ranges; impostors are bots.
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
