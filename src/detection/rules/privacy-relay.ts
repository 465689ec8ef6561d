import { NO_SIGNALS, defineRule } from '../rule.ts';
import type { Signal } from '../types.ts';

/**
 * iCloud Private Relay users are Apple's paying customers browsing in Safari, not proxies for hire:
 * Apple publishes the egress ranges and asks sites to treat them like a carrier's shared addresses.
 * So a relay address is shown for what it is (`privacy_relay`, no fraud type, no score) and the
 * datacenter and vpn rules leave it alone, though it sits on Akamai, Cloudflare and Fastly networks.
 * An account that wants relay traffic held back sets `privacy_relay_vpn_score` above 0: the click is
 * then `vpn` with that score.
 */
export const privacyRelayRule = defineRule({
  name: 'privacy-relay',
  type: 'privacy_relay',
  defaults: { privacyRelayVpnScore: 0 },
  evaluate({ visitor, ip }, { settings }): readonly Signal[] {
    const relay = ip.reputation.relay;
    if (!relay) return NO_SIGNALS;
    const range = relay.entry === visitor.ip ? '' : `, range ${relay.entry}`;
    const where = relay.country === null ? '' : ` in ${relay.country}`;
    const message = `${visitor.ip} is an iCloud Private Relay egress${where} (list ${relay.list}${range})`;
    const score = settings.privacyRelayVpnScore;
    if (score > 0) return [{ type: 'vpn', message: `${message}, counted as a VPN by this account`, score }];
    return [{ type: 'privacy_relay', message, score: 0 }];
  },
});
