/**
 * The small IP-reputation lists the simulator draws Tor and VPN visitors from. They are plain text
 * in the formats `cloakradar intel update` reads (`lines`, `cidr-lines`), so the demo and the
 * benchmark can load the very same files into the tracker's IP lists.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TOR_EXIT_FIXTURE = fileURLToPath(new URL('./fixtures/tor-exit.txt', import.meta.url));
export const VPN_FIXTURE = fileURLToPath(new URL('./fixtures/vpn.txt', import.meta.url));

function readEntries(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
}

let cached: { torExits: readonly string[]; vpnRanges: readonly string[] } | undefined;

export function reputationFixtures(): { torExits: readonly string[]; vpnRanges: readonly string[] } {
  cached ??= Object.freeze({
    torExits: Object.freeze(readEntries(TOR_EXIT_FIXTURE)),
    vpnRanges: Object.freeze(readEntries(VPN_FIXTURE)),
  });
  return cached;
}
