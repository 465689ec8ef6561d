// What the click recorder publishes (events.ts), in a file of types that imports only the row shapes:
// the event bus is imported nearly everywhere, so its payloads must not pull in the code that makes them.
import type { ClickRow } from './click.table.ts';

/** A stored click before and after a late finding amended it (modules/clicks/late-findings.ts). */
export interface AmendedClick {
  readonly before: ClickRow;
  readonly after: ClickRow;
}
