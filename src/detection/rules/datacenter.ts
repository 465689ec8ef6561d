import { findHostingNetwork, type HostingNetwork } from '../network-kind.ts';
import { NO_SIGNALS, defineRule } from '../rule.ts';
import type { Signal } from '../types.ts';

/**
 * Humans rarely browse from a rented server; bots, scrapers and self-hosted proxies nearly always
 * do. Still below a listed VPN exit (80): clouds also carry remote desktops and corporate proxies.
 */
const HOSTING_SCORE = 75;
/** CDN egress is mostly people behind WARP or iCloud Private Relay: anonymised, but often human. */
const PROXY_SCORE = 50;

function toSignal(network: HostingNetwork): Signal {
  if (network.kind === 'proxy') {
    return { type: 'datacenter', message: `${network.label} is a CDN and proxy network`, score: PROXY_SCORE };
  }
  const evidence = network.nameMatch === null ? '' : ` (its name says "${network.nameMatch}")`;
  return { type: 'datacenter', message: `${network.label} is a hosting network${evidence}`, score: HOSTING_SCORE };
}

/**
 * The click comes from a cloud, hosting or CDN network (SPEC: datacenter, status `vpn`). Verified
 * crawlers from clouds are let through by verdict.ts, which drops every other signal for them.
 */
export const datacenterRule = defineRule({
  name: 'datacenter',
  type: 'datacenter',
  defaults: {},
  evaluate({ ip }) {
    // Relay egress sits on CDN networks, but the people behind it are not the CDN's: privacy-relay.ts.
    if (ip.reputation.relay) return NO_SIGNALS;
    const network = findHostingNetwork(ip);
    // A VPN company's own network is the vpn rule's to report, as what it is.
    if (network === null || network.kind === 'vpn') return NO_SIGNALS;
    return [toSignal(network)];
  },
});
