/** User agents run to 512 characters; a reason is read in a table cell and a CSV column. */
const MAX_QUOTED_LENGTH = 80;

/** Cuts `text` for a human-readable reason, never splitting a surrogate pair. */
export function shorten(text: string, max = MAX_QUOTED_LENGTH): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

const UNITS = [
  { ms: 86_400_000, label: 'd' },
  { ms: 3_600_000, label: 'h' },
  { ms: 60_000, label: 'min' },
  { ms: 1_000, label: 's' },
] as const;

/** "24 h", "90 min", "1500 ms": the largest unit that divides the window exactly, as people set it. */
export function formatDuration(ms: number): string {
  for (const unit of UNITS) {
    // Days read worse than hours up to two days ("48 h" is how the duplicate window is quoted).
    if (unit.label === 'd' && ms <= 2 * unit.ms) continue;
    if (ms >= unit.ms && ms % unit.ms === 0) return `${ms / unit.ms} ${unit.label}`;
  }
  return `${ms} ms`;
}
