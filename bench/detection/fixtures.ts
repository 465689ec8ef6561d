// The simulator's Tor and VPN lists, loaded into a data folder the way `cloakradar intel update`
// loads downloaded ones (same parser, storage and manifest), so the tracker's IP lists hold them.
import { pathToFileURL } from 'node:url';
import { TOR_EXIT_FIXTURE, VPN_FIXTURE } from '../../src/demo/fixtures.ts';
import { parseIntelSources } from '../../src/intel/lists/sources.ts';
import { updateIntelLists } from '../../src/intel/lists/update.ts';

/** Returns what was loaded ("demo-tor-exit 205 entries, …"); throws when a list could not be. */
export async function loadReputationFixtures(dataDir: string): Promise<string> {
  const sources = parseIntelSources([
    { id: 'demo-tor-exit', kind: 'tor', url: pathToFileURL(TOR_EXIT_FIXTURE).href, format: 'lines', minEntries: 1 },
    { id: 'demo-vpn', kind: 'vpn', url: pathToFileURL(VPN_FIXTURE).href, format: 'cidr-lines', minEntries: 1 },
  ]);
  const report = await updateIntelLists({ dataDir, sources });
  const failed = report.outcomes.filter((outcome) => outcome.status === 'failed');
  if (failed.length > 0)
    throw new Error(
      `loading the IP-list fixtures failed: ${failed.map((outcome) => `${outcome.id}: ${outcome.status === 'failed' ? outcome.reason : ''}`).join('; ')}`,
    );
  return report.outcomes
    .map((outcome) => `${outcome.id} ${outcome.status === 'failed' ? 0 : outcome.entries} entries`)
    .join(', ');
}
