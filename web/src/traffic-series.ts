/** One point of the traffic chart: a day or an hour, with its clicks by verdict. */
export interface TrafficPoint {
  /** Unix seconds of the period's start (UTC). */
  time: number;
  real: number;
  bot: number;
  vpn: number;
}

/** A row of GET /api/v2/analytics/{day|hour}: `value` is the day (YYYY-MM-DD) or the hour of day (0–23). */
export interface TimeRow {
  value: string | null;
  real_clicks: number;
  bot_clicks: number;
  vpn_clicks: number;
}

const DAY_SECONDS = 86_400;

/**
 * Every period of the chosen range, oldest first, with the rows' counts and zero where no row is: the
 * axis is the range the user picked, not the span of the data. Left to itself, the chart drew one day of
 * data across a two-year axis, and a gap of quiet days as a straight line between the days around it.
 * `from`/`to` are inclusive UTC days (YYYY-MM-DD); `hour` is one day's 24 hours (`from`).
 */
export function fillTrafficSeries(
  rows: readonly TimeRow[],
  kind: 'day' | 'hour',
  from: string,
  to: string,
): TrafficPoint[] {
  const start = Date.parse(`${from}T00:00:00Z`) / 1000;
  const byTime = new Map<number, TimeRow>();
  for (const row of rows) {
    if (row.value === null) continue;
    const time = kind === 'day' ? Date.parse(`${row.value}T00:00:00Z`) / 1000 : start + Number(row.value) * 3600;
    if (Number.isFinite(time)) byTime.set(time, row);
  }
  const step = kind === 'day' ? DAY_SECONDS : 3600;
  const end = kind === 'day' ? Date.parse(`${to}T00:00:00Z`) / 1000 : start + DAY_SECONDS - 3600;
  const points: TrafficPoint[] = [];
  for (let time = start; time <= end; time += step) {
    const row = byTime.get(time);
    points.push({ time, real: row?.real_clicks ?? 0, bot: row?.bot_clicks ?? 0, vpn: row?.vpn_clicks ?? 0 });
  }
  return points;
}
