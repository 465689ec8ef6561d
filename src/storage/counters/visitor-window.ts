/** Recent clicks per key (a visitor, an address) on one campaign: history the detection rules need. */
export interface VisitorWindow {
  /**
   * Records a click and returns how many earlier clicks of the same key fall within `windowMs`
   * (at most the window the counter keeps). `clickId` lets `claim` hand the click out later.
   */
  hit(key: string, now: number, windowMs?: number, clickId?: string): number;
  /** How many clicks of the key fall within `windowMs`, without recording one. */
  count(key: string, now: number, windowMs: number): number;
  /**
   * Ids of the key's clicks within `windowMs` not yet claimed with `mark` (one bit per finding), which
   * they now carry: a burst's earlier clicks are flagged once, however many clicks recognise it.
   */
  claim(key: string, now: number, windowMs: number, mark: number): string[];
}

/** Distinct members per key (user agents per subnet) seen recently. */
export interface DistinctWindow {
  /** Records `member` under `key` and returns how many distinct members were seen within `windowMs`, this one included. */
  hit(key: string, member: string, now: number, windowMs?: number, clickId?: string): number;
  /** How many distinct members of the key were seen within `windowMs`, without recording one. */
  count(key: string, now: number, windowMs: number): number;
  /** As `VisitorWindow.claim`, over every member of the key. */
  claim(key: string, now: number, windowMs: number, mark: number): string[];
}

/** One remembered click. */
export interface WindowEntry {
  readonly at: number;
  readonly id: string | undefined;
  marks: number;
}

/** Claims the unmarked entries after `cutoff` (see `VisitorWindow.claim`). */
export function claimEntries(
  entries: Iterable<WindowEntry>,
  cutoff: number,
  mark: number,
  into: string[] = [],
): string[] {
  for (const entry of entries) {
    if (entry.at <= cutoff || entry.id === undefined || (entry.marks & mark) !== 0) continue;
    entry.marks |= mark;
    into.push(entry.id);
  }
  return into;
}
