/** Lets timers, requests and the tracker run between two pages of a long read. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Rows a loop over a long in-memory result handles between two yieldToEventLoop calls. */
const ROWS_PER_TURN = 4096;
/**
 * Whether the loop at row `index` is due to hand the event loop back: a report's sums and groups may be
 * 100,000 rows (a sub id per campaign and day), seconds of CPU that would otherwise stall clicks and the
 * pools' connection timers (one such report held it ~0.85 s in rollupSums alone).
 */
export const turnDue = (index: number) => index % ROWS_PER_TURN === ROWS_PER_TURN - 1;

/** Rows an export holds at a time: enough that the per-query cost is small, few enough that memory stays flat. */
export const EXPORT_PAGE_SIZE = 1_000;

/** Reads the `limit` rows after `after` (null: from the start), in the order the keyset follows. */
export type PageReader<R, C> = (after: C | null, limit: number) => Promise<readonly R[]>;

/**
 * Every row a keyset reader gives, `pageSize` at a time, so memory holds one page however many rows
 * there are (fraud report CSVs, list exports). Keyset rather than OFFSET: each page is an index range
 * read that stops at its limit, however deep into the rows it is. `between` runs after each full page
 * (yield to the event loop, renew a lease, stop). A consumer that stops early (a client that hung up
 * ends the stream, which returns this generator) stops the reads: no further page is asked for.
 */
export async function* keysetPages<R, C>(
  readPage: PageReader<R, C>,
  cursorOf: (row: R) => C,
  pageSize: number,
  between: () => Promise<void> = yieldToEventLoop,
): AsyncGenerator<R> {
  let after: C | null = null;
  for (;;) {
    const page = await readPage(after, pageSize);
    yield* page;
    const last = page.at(-1);
    if (last === undefined || page.length < pageSize) return;
    after = cursorOf(last);
    await between();
  }
}
