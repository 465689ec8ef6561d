import type { TestApp } from './test-app.ts';

/** The destination tests give their campaigns, so the click id can be read back from the redirect. */
export const CLICK_DESTINATION = 'https://example.com/?cid={clickid}';

const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/**
 * One click through the real tracking URL of a campaign whose destination_url is CLICK_DESTINATION.
 * The tracker commits the click before it redirects, so the returned id is already stored.
 */
export async function sendClick(
  t: TestApp,
  campaignUuid: string,
  options: { ip?: string; userAgent?: string; query?: Record<string, string> } = {},
): Promise<string> {
  const search = new URLSearchParams(options.query ?? {}).toString();
  const response = await t.request({
    method: 'GET',
    url: `/c/${campaignUuid}${search ? `?${search}` : ''}`,
    headers: {
      'user-agent': options.userAgent ?? BROWSER,
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'accept-language': 'en-US,en;q=0.9',
      ...(options.ip ? { 'x-forwarded-for': options.ip } : {}),
    },
  });
  const location = response.headers.location;
  if (response.statusCode !== 302 || typeof location !== 'string') {
    throw new Error(`tracking URL answered ${response.statusCode} without a redirect: ${response.body.slice(0, 200)}`);
  }
  const clickId = new URL(location).searchParams.get('cid');
  if (!clickId) throw new Error(`no click id in the redirect to ${location}`);
  return clickId;
}
