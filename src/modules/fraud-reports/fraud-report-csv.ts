import type { Readable } from 'node:stream';
import { csvStream } from '../../csv-writer.ts';
import { PLATFORM_CLICK_ID_COLUMN, clickCost, costPerClick } from './fraud-report.ts';
import type { FraudReportRow } from './fraud-report.table.ts';
import type { FraudulentClick } from './fraud-click-chunks.ts';

/** Per-click cost to the cent when it is whole cents (cpc), otherwise as precise as a CPM share needs. */
export function formatCost(cost: number): string {
  const cents = cost * 100;
  return Math.abs(cents - Math.round(cents)) < 1e-9 ? cost.toFixed(2) : String(Math.round(cost * 1e6) / 1e6);
}

function reasonMessages(json: string): string {
  const reasons = JSON.parse(json) as unknown;
  if (!Array.isArray(reasons)) return '';
  return reasons
    .map((reason: { message?: unknown }) => (typeof reason?.message === 'string' ? reason.message : ''))
    .filter(Boolean)
    .join('; ');
}

export function csvColumns(report: FraudReportRow) {
  return [
    { key: 'time', header: 'time' },
    { key: 'click_id', header: 'click_id' },
    { key: 'platform_click_id', header: PLATFORM_CLICK_ID_COLUMN[report.platform] },
    { key: 'ip', header: 'ip' },
    { key: 'country', header: 'country' },
    { key: 'fraud_type', header: 'fraud_type' },
    { key: 'reasons', header: 'reasons' },
    { key: 'cost', header: 'cost' },
  ];
}

export function toCsvRecord(click: FraudulentClick, modelCost: number) {
  return {
    time: new Date(click.created_at).toISOString(),
    click_id: click.id,
    platform_click_id: click.platform_click_id ?? '',
    ip: click.ip,
    country: click.country ?? '',
    fraud_type: click.primary_fraud_type ?? '',
    reasons: reasonMessages(click.reasons),
    cost: formatCost(clickCost(click, modelCost)),
  };
}

/**
 * The CSV as a stream, through the shared writer (quoting and formula rules live there): user agents,
 * referrers and platform click ids are the visitor's to choose.
 */
export function fraudReportCsv(
  report: FraudReportRow,
  clicks: AsyncIterable<FraudulentClick>,
  onError: (error: Error) => void,
): Readable {
  const modelCost = costPerClick(report.cost_model, report.cost_value);
  async function* records() {
    for await (const click of clicks) yield toCsvRecord(click, modelCost);
  }
  return csvStream(csvColumns(report), records(), onError);
}
