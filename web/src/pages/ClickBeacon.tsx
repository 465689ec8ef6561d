import type { ClickDetail } from '../api/client';

const STATE_TEXT: Record<ClickDetail['beacon_state'], string> = {
  received: '',
  waiting: 'No beacon yet: the page’s lander tag has until an hour after the click to report.',
  missing:
    'No beacon came. Not fraud by itself (ad blockers stop tags, people leave fast, the page may lack the tag) unless the campaign requires the tag.',
};

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** What the page's lander tag reported of the browser (SPEC section 10), or why nothing is shown. */
export function ClickBeacon({ click }: { click: ClickDetail }) {
  const b = click.beacon;
  return (
    <section className="panel" aria-labelledby="beacon-title" data-testid="beacon">
      <h2 id="beacon-title" style={{ marginTop: 0 }}>
        Lander tag
      </h2>
      {b === null ? (
        <p data-testid="beacon-state">{STATE_TEXT[click.beacon_state]}</p>
      ) : (
        <dl className="facts">
          {(
            [
              ['Automation (navigator.webdriver)', b.webdriver ? 'yes' : 'no'],
              [
                'Time zone',
                `${b.time_zone ?? 'none'} (UTC${b.utc_offset_minutes >= 0 ? '+' : '−'}${Math.abs(b.utc_offset_minutes) / 60})`,
              ],
              ['Languages', b.languages.join(', ') || 'none'],
              ['Screen / viewport', `${b.screen_width}×${b.screen_height} / ${b.viewport_width}×${b.viewport_height}`],
              ['Touch points / CPU cores', `${b.touch_points} / ${b.hardware_concurrency}`],
              ['Page visible', b.visible ? 'yes' : 'no'],
              ['Time on page', seconds(b.time_on_page_ms)],
              ['Pointer / scroll / key events', `${b.pointer_events} / ${b.scroll_events} / ${b.key_events}`],
              ['Received', new Date(b.received_at).toLocaleString()],
            ] as [string, string][]
          ).map(([k, v]) => [<dt key={`${k}-t`}>{k}</dt>, <dd key={`${k}-d`}>{v}</dd>])}
        </dl>
      )}
    </section>
  );
}
