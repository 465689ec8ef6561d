/** A person's Chrome on Windows in Germany, as the lander tag reports it (POST /api/v1/beacon), with `fields` over it. */
export function beaconBody(clickId: string, fields: Record<string, unknown> = {}) {
  return {
    click_id: clickId,
    page_view_id: 'pv-0001-abcd',
    webdriver: false,
    time_zone: 'Europe/Berlin',
    utc_offset_minutes: 60,
    languages: ['de-DE', 'de', 'en'],
    screen_width: 1920,
    screen_height: 1080,
    viewport_width: 1920,
    viewport_height: 945,
    touch_points: 0,
    hardware_concurrency: 8,
    visible: true,
    time_on_page_ms: 350,
    pointer_events: 0,
    scroll_events: 0,
    key_events: 0,
    ...fields,
  };
}
