import { FRAUD_TYPE_ORDER } from '../../detection/index.ts';
import { clickCost, costPerClick, type FraudReportSummary, type FraudTypeCounts } from './fraud-report.ts';
import { round2 } from './money.ts';
import type { FraudReportRow } from './fraud-report.table.ts';
import {
  DEFAULT_CHUNK_SIZE,
  fraudulentClicksOf,
  scopeOf,
  type FraudClickSource,
  type FraudulentClick,
} from './fraud-click-chunks.ts';
import { keysetPages } from '../../keyset-pages.ts';
import { buildIpExclusions, type IpExclusionList } from './ip-exclusions.ts';

export interface FraudReportResult {
  summary: FraudReportSummary;
  ipExclusions: IpExclusionList | null;
}

/**
 * Computes a report: the counts by one aggregate query, then (google) one keyset walk over the
 * fraudulent clicks for the addresses to exclude. `between` runs after every chunk of the walk; it
 * yields to the event loop, renews the lease, and throws to stop the job on shutdown.
 *
 * Memory: the walk keeps one counter per distinct fraudulent address, never the clicks themselves.
 */
export async function computeFraudReport(
  clicks: FraudClickSource,
  report: FraudReportRow,
  options: { chunkSize: number; between: () => Promise<void> },
): Promise<FraudReportResult> {
  const { total, byType, priced } = await clicks.summarize(scopeOf(report));
  const fraudByType = Object.fromEntries(
    FRAUD_TYPE_ORDER.map((type) => [type, byType.get(type) ?? 0]),
  ) as FraudTypeCounts;
  const fraudulent = [...byType.values()].reduce((sum, n) => sum + n, 0);
  const perClick = costPerClick(report.cost_model, report.cost_value);
  let rows = fraudulent;
  let ipExclusions: IpExclusionList | null = null;
  if (report.platform === 'google') {
    const walked = await exclusionsOfClicks(
      fraudulentClicksOf(clicks, report, options.chunkSize, options.between),
      perClick,
    );
    rows = walked.rows;
    ipExclusions = walked.list;
  }
  return {
    summary: {
      total_clicks: total,
      fraudulent_clicks: fraudulent,
      fraud_rate: total === 0 ? 0 : round2((fraudulent / total) * 100),
      fraud_by_type: fraudByType,
      // Each click as it was charged: its own price when it carried one, else the campaign's model.
      estimated_savings: round2(priced.cost + (fraudulent - priced.clicks) * perClick),
      rows,
    },
    ipExclusions,
  };
}

/**
 * The IP exclusion list of a walk over fraudulent clicks: cost per address (each click as it was
 * charged), then buildIpExclusions. Shared by the report and the Google Ads connector's sync.
 */
export async function exclusionsOfClicks(
  fraudulent: AsyncIterable<FraudulentClick>,
  perClick: number,
): Promise<{ rows: number; list: IpExclusionList }> {
  const perIp = new Map<string, { clicks: number; cost: number }>();
  let rows = 0;
  for await (const click of fraudulent) {
    rows += 1;
    const ip = perIp.get(click.ip) ?? { clicks: 0, cost: 0 };
    ip.clicks += 1;
    ip.cost += clickCost(click, perClick);
    perIp.set(click.ip, ip);
  }
  return { rows, list: buildIpExclusions(perIp) };
}

/** A campaign's exclusion list over [from, toExclusive), read a chunk at a time (the connector's sync). */
export function campaignIpExclusions(
  clicks: FraudClickSource,
  scope: { userId: number; campaignId: number; from: number; toExclusive: number },
  perClick: number,
  chunkSize = DEFAULT_CHUNK_SIZE,
): Promise<IpExclusionList> {
  const walk = keysetPages(
    (after: { createdAt: number; id: string } | null, limit) => clicks.readChunk(scope, after, limit),
    (click) => ({ createdAt: click.created_at, id: click.id }),
    chunkSize,
  );
  return exclusionsOfClicks(walk, perClick).then((walked) => walked.list);
}
