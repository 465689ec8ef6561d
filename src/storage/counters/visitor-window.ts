/** Recent clicks of one visitor on one campaign: the history the duplicate rule needs. */
export interface VisitorWindow {
  /** Records a click and returns how many earlier clicks of the same key fall within the window. */
  hit(key: string, now: number): number;
}
