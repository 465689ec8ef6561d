/** Recent clicks per key (a visitor, an address) on one campaign: history the detection rules need. */
export interface VisitorWindow {
  /**
   * Records a click and returns how many earlier clicks of the same key fall within `windowMs`
   * (at most the window the counter keeps).
   */
  hit(key: string, now: number, windowMs?: number): number;
  /** How many clicks of the key fall within `windowMs`, without recording one. */
  count(key: string, now: number, windowMs: number): number;
}

/** Distinct members per key (user agents per subnet) seen recently. */
export interface DistinctWindow {
  /** Records `member` under `key` and returns how many distinct members were seen within `windowMs`, this one included. */
  hit(key: string, member: string, now: number, windowMs?: number): number;
}
