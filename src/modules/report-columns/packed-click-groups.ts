import {
  groupedColumns,
  zeroGroupCounters,
  type ClickGroup,
  type ClickGroupCounters,
  type ClickGroupQuery,
} from '../clicks/click-groups.repository.ts';

type CounterName = keyof ClickGroupCounters;
const COUNTER_NAMES = Object.keys(zeroGroupCounters()) as CounterName[];

/**
 * Click groups column by column, as the copy's thread posts them (report-columns-thread.ts): posted as
 * objects, the half million groups of a three-sub-id report took longer to clone than to count (8.6 s
 * became 14.5 s). Arrays of values clone quickly and typed arrays move without a copy.
 */
export interface PackedClickGroups {
  readonly length: number;
  /** Per grouped column, in groupedColumns(query) order. */
  readonly keys: ReadonlyArray<ReadonlyArray<string | number | null>>;
  readonly campaignIds: Float64Array;
  readonly hours: Float64Array;
  readonly days: Float64Array;
  /** Null when no group has one (not grouped by event). */
  readonly events: readonly string[] | null;
  /** Only the counters some group has other than 0 (a ranking read counts one or two). */
  readonly counters: Partial<Record<CounterName, Float64Array>>;
  /** Null when no group is outside. */
  readonly outside: Uint8Array | null;
}

/** The groups packed, and the buffers to transfer with them. */
export function packClickGroups(
  groups: readonly ClickGroup[],
  query: ClickGroupQuery,
): { packed: PackedClickGroups; transfer: ArrayBuffer[] } {
  const length = groups.length;
  const keys = groupedColumns(query).map((column) => groups.map((group) => group.keys[column] ?? null));
  const numbers = (pick: (group: ClickGroup) => number) => Float64Array.from(groups, pick);
  const counters: Partial<Record<CounterName, Float64Array>> = {};
  for (const name of COUNTER_NAMES) {
    if (groups.some((group) => group.counters[name] !== 0)) counters[name] = numbers((group) => group.counters[name]);
  }
  const packed: PackedClickGroups = {
    length,
    keys,
    campaignIds: numbers((group) => group.campaignId),
    hours: numbers((group) => group.hour),
    days: numbers((group) => group.day),
    events: groups.some((group) => group.event !== '') ? groups.map((group) => group.event) : null,
    counters,
    outside: groups.some((group) => group.outside) ? Uint8Array.from(groups, (group) => (group.outside ? 1 : 0)) : null,
  };
  const arrays: ArrayBufferView[] = [packed.campaignIds, packed.hours, packed.days, ...Object.values(counters)];
  if (packed.outside) arrays.push(packed.outside);
  return { packed, transfer: arrays.map((array) => array.buffer as ArrayBuffer) };
}

export function unpackClickGroups(packed: PackedClickGroups, query: ClickGroupQuery): ClickGroup[] {
  const columns = groupedColumns(query);
  const counted = Object.entries(packed.counters) as Array<[CounterName, Float64Array]>;
  const groups = new Array<ClickGroup>(packed.length);
  for (let i = 0; i < packed.length; i++) {
    const keys = {} as ClickGroup['keys'];
    columns.forEach((column, at) => (keys[column] = packed.keys[at]![i]!));
    const counters = zeroGroupCounters();
    for (const [name, values] of counted) counters[name] = values[i]!;
    const group: ClickGroup = {
      keys,
      campaignId: packed.campaignIds[i]!,
      hour: packed.hours[i]!,
      day: packed.days[i]!,
      event: packed.events?.[i] ?? '',
      counters,
    };
    groups[i] = packed.outside?.[i] ? { ...group, outside: true } : group;
  }
  return groups;
}
