import { isIP } from 'node:net';
import { isPublicAddress } from '../webhooks/url-safety.ts';
import { POSTBACK_MACROS } from './traffic-source.enums.ts';

const KNOWN_MACROS: ReadonlySet<string> = new Set(POSTBACK_MACROS);

/**
 * What a postback URL template must be beyond its length: an absolute http(s) URL whose `{…}` macros
 * are ones the tracker fills. An unknown macro would reach the network literally, which it would
 * read as a click id that does not exist, so it is refused here rather than discovered in the log.
 */
export function checkPostbackUrl(template: string): string | undefined {
  let url: URL;
  try {
    url = new URL(template);
  } catch {
    return 'postback_url must be an absolute http or https URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'postback_url must use http or https';
  if (url.username || url.password) return 'postback_url must not carry credentials before the host';
  const unknown = [...template.matchAll(/\{([^{}]*)\}/g)]
    .map((match) => match[1] ?? '')
    .filter((name) => !KNOWN_MACROS.has(name));
  if (unknown.length > 0) {
    return `Unknown macro {${unknown[0]}}; postback_url may use ${POSTBACK_MACROS.map((m) => `{${m}}`).join(', ')}`;
  }
  return undefined;
}

/**
 * The SSRF guard's part that needs no DNS, at create and update: a literal loopback, private,
 * link-local or otherwise non-public address, or a `localhost` name, is refused unless private targets
 * are allowed (WEBHOOKS_ALLOW_PRIVATE_TARGETS). Names are resolved and checked at every call, where the
 * address checked is the one connected to (url-safety.ts): a name that does not resolve from here today
 * (a network's domain seen from a machine without DNS) is not the buyer's mistake.
 */
export function checkPostbackAddress(template: string, allowPrivate: boolean): string | undefined {
  if (allowPrivate) return undefined;
  let host: string;
  try {
    host = new URL(template).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  } catch {
    return undefined; // checkPostbackUrl reports the shape
  }
  if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && !isPublicAddress(host))) {
    return 'postback_url must point at a public address: loopback, private, link-local and metadata addresses are refused';
  }
  return undefined;
}
