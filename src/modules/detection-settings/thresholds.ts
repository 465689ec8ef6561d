import { DEFAULT_DETECTION_SETTINGS, type DetectionSettings } from '../../detection/index.ts';
import { MAX_MEMBERS_PER_KEY } from '../../storage/counters/memory-distinct-window.ts';
import { BURST_TIMES_PER_KEY } from '../../storage/counters/memory-visitor-window.ts';

/** The API speaks snake_case; detection settings are camelCase in code. */
export function toSnakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

export const THRESHOLD_KEYS = Object.keys(DEFAULT_DETECTION_SETTINGS) as Array<keyof DetectionSettings & string>;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * What an account may set: windows from one second to what the in-memory windows keep, counts from
 * one, multipliers up to 100. Bounds follow the key's name, so a new rule's settings get them too.
 */
export function thresholdBounds(key: string): { minimum: number; maximum: number; integer: boolean } {
  // The in-memory windows keep a day of visitors for duplicates and an hour for bursts (tracking-setup.ts).
  if (key === 'duplicateWindowMs') return { minimum: 1_000, maximum: DAY_MS, integer: true };
  if (key.endsWith('WindowMs')) return { minimum: 1_000, maximum: HOUR_MS, integer: true };
  // The distinct-device window remembers at most MAX_MEMBERS_PER_KEY devices per subnet: a higher limit could never fire.
  if (key.endsWith('Devices')) return { minimum: 1, maximum: MAX_MEMBERS_PER_KEY - 1, integer: true };
  // Likewise the address window counts at most BURST_TIMES_PER_KEY clicks.
  if (key.endsWith('Clicks')) return { minimum: 1, maximum: BURST_TIMES_PER_KEY - 1, integer: true };
  if (/Max|Min|Count|Clicks|Devices/.test(key)) return { minimum: 1, maximum: 1_000_000, integer: true };
  return { minimum: 0, maximum: 100, integer: false };
}

/** Effective values in API form. */
export function presentThresholds(settings: DetectionSettings): Record<string, number> {
  return Object.fromEntries(THRESHOLD_KEYS.map((key) => [toSnakeCase(key), Number(settings[key])]));
}

/** API form (snake_case, null = back to the default) merged onto stored overrides (camelCase). */
export function mergeOverrides(
  stored: Record<string, number>,
  changes: Record<string, number | null | undefined>,
): Record<string, number> {
  const merged = { ...stored };
  for (const key of THRESHOLD_KEYS) {
    const value = changes[toSnakeCase(key)];
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return merged;
}
