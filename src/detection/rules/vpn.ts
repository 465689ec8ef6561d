import { findHostingNetwork } from '../network-kind.ts';
import { NO_SIGNALS, defineRule } from '../rule.ts';
import type { ListMatch, Signal } from '../types.ts';

/** Tor is anonymity by design and hardly used for shopping; a listed VPN exit may be a privacy-minded person. */
const TOR_SCORE = 95;
const VPN_SCORE = 80;

/** "list tor-exit-nodes", or "list x, range 198.51.100.0/24" when the entry is a range. */
function describeMatch(match: ListMatch, ip: string): string {
  return match.entry === ip ? `list ${match.list}` : `list ${match.list}, range ${match.entry}`;
}

/**
 * Anonymised sources (SPEC: vpn, status `vpn`): Tor exits and VPN or proxy exits on the loaded IP
 * lists, and networks VPN companies run themselves. A list that is not loaded (`null`) says
 * nothing either way, so no signal. One reason per click: the most specific one.
 */
export const vpnRule = defineRule({
  name: 'vpn',
  type: 'vpn',
  defaults: {},
  evaluate({ visitor, ip }): readonly Signal[] {
    const { tor, vpn, relay } = ip.reputation;
    // A published privacy-relay egress is the privacy-relay rule's to report, even when a VPN list
    // (built by scanning provider networks) also holds the range.
    if (relay) return NO_SIGNALS;
    if (tor)
      return [
        {
          type: 'vpn',
          message: `${visitor.ip} is a Tor exit node (${describeMatch(tor, visitor.ip)})`,
          score: TOR_SCORE,
        },
      ];
    if (vpn)
      return [
        {
          type: 'vpn',
          message: `${visitor.ip} is a VPN or proxy exit (${describeMatch(vpn, visitor.ip)})`,
          score: VPN_SCORE,
        },
      ];
    const network = findHostingNetwork(ip);
    if (network?.kind === 'vpn')
      return [{ type: 'vpn', message: `${network.label} is a VPN provider's network`, score: VPN_SCORE }];
    return NO_SIGNALS;
  },
});
