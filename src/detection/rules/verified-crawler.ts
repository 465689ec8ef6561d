import { findIpInList } from '../cidr.ts';
import { VERIFIED_CRAWLERS, type VerifiedCrawler } from '../lists/verified-crawlers.ts';
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

function verify(crawler: VerifiedCrawler, input: DetectionInput): Signal {
  const { asn } = input.ip;
  if (asn !== null && crawler.asns.includes(asn)) {
    return { type: 'verified_bot', message: `${crawler.name} from ${describeNetwork(input)} is a verified ${crawler.purpose}`, score: 0 };
  }
  const range = crawler.ranges ? findIpInList(input.visitor.ip, crawler.ranges) : null;
  if (range !== null) {
    const message = `${crawler.name} from ${input.visitor.ip}, in ${crawler.company}'s published range ${range.source}, is a verified ${crawler.purpose}`;
    return { type: 'verified_bot', message, score: 0 };
  }
  // Someone borrowing a crawler's name to get waved through is as sure a bot as it gets.
  const message = `User agent claims to be ${crawler.name} (${crawler.company}) but comes from ${describeNetwork(input)}, not a ${crawler.company} network`;
  return { type: 'bot', message, score: 95 };
}

/**
 * Crawlers ad platforms use to check landing pages are let through and never counted as fraud,
 * but only when they come from their company's network; impostors are bots.
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
