/** How much one memory window may hold; each limit is where its typed arrays stop growing. */
export interface WindowLimits {
  readonly keys: number;
  /** Clicks over all keys (for the line window: lines over all subnets). */
  readonly entries: number;
  /** Distinct members over all keys (distinct windows only). */
  readonly members?: number;
}

/** The limits of one node's five memory windows. */
export interface WindowSetLimits {
  readonly visitors: WindowLimits;
  readonly addresses: WindowLimits;
  readonly subnets: WindowLimits & { readonly members: number };
  readonly addressDevices: WindowLimits & { readonly members: number };
  /** The click farm's lines (memory-line-window.ts): keys are subnets on a campaign, entries their lines. */
  readonly lines: WindowLimits;
}

/**
 * Bytes each held thing takes at most, counted from the typed arrays that hold it (so a bound, not a
 * sample; `npm run bench:windows-memory` checks it against the heap):
 * - a key: its 64-bit fingerprint, LRU links and start of its time to live (24 bytes), its place in the
 *   open-addressing index (a power of two at least twice the keys: 8 to 16 bytes) and its list's head,
 *   tail and length (10 bytes): memory-key-table.ts, memory-slot-lists.ts;
 * - a click: time, claim marks, link, kind of id and the id's 22 characters: memory-entry-pool.ts;
 * - a member: fingerprint, last seen, link (20 bytes) and its clicks' list (10): memory-member-pool.ts;
 * - a line: a member without a click list (20), its browsers (2) and its text (1 + 48):
 *   memory-line-window.ts.
 */
export const BYTES = { key: 50, click: 39, member: 30, line: 71 } as const;

/**
 * Per visitor of the duplicate window, what the other windows keep: addresses and subnets are
 * short-lived signals (one hour against the visitors' day), with fewer keys than visitors. Clicks and
 * members per key are the typical load, not the cap per key (addresses keep up to 128 clicks, subnets
 * 128 members): a busy key takes the room of several quiet ones, the total stays within the budget.
 */
const SHARES = {
  visitors: { keys: 1, clicksPerKey: 1.5 },
  addresses: { keys: 0.25, clicksPerKey: 4 },
  subnets: { keys: 0.1, membersPerKey: 4, clicksPerMember: 1.5 },
  addressDevices: { keys: 0.25, membersPerKey: 1.5, clicksPerMember: 2.5 },
  lines: { keys: 0.1, linesPerKey: 2.5 },
} as const;

/** However small the budget, a window keeps this many keys. */
const MIN_KEYS = 1000;

/** Bytes per visitor of the duplicate window, all five windows together, at the shares above. */
export const BYTES_PER_VISITOR =
  SHARES.visitors.keys * (BYTES.key + SHARES.visitors.clicksPerKey * BYTES.click) +
  SHARES.addresses.keys * (BYTES.key + SHARES.addresses.clicksPerKey * BYTES.click) +
  SHARES.subnets.keys *
    (BYTES.key + SHARES.subnets.membersPerKey * (BYTES.member + SHARES.subnets.clicksPerMember * BYTES.click)) +
  SHARES.addressDevices.keys *
    (BYTES.key +
      SHARES.addressDevices.membersPerKey * (BYTES.member + SHARES.addressDevices.clicksPerMember * BYTES.click)) +
  SHARES.lines.keys * (BYTES.key + SHARES.lines.linesPerKey * BYTES.line);

/** The most bytes windows with these limits hold (their typed arrays at full length). */
export function windowBytes(limits: WindowSetLimits): number {
  const keys = (window: WindowLimits) => window.keys * BYTES.key;
  const members = (window: WindowLimits) => (window.members ?? 0) * BYTES.member;
  return (
    keys(limits.visitors) +
    limits.visitors.entries * BYTES.click +
    keys(limits.addresses) +
    limits.addresses.entries * BYTES.click +
    keys(limits.subnets) +
    members(limits.subnets) +
    limits.subnets.entries * BYTES.click +
    keys(limits.addressDevices) +
    members(limits.addressDevices) +
    limits.addressDevices.entries * BYTES.click +
    keys(limits.lines) +
    limits.lines.entries * BYTES.line
  );
}

/**
 * Limits whose windows together hold at most about `memoryMb` MiB (DETECTION_WINDOW_MEMORY_MB), however
 * the traffic is shaped: every key, member and click counts against a limit, and at any limit the least
 * recently seen keys go first. 200 MiB (the default) keeps 739,834 visitors with 1,109,751 clicks,
 * 184,958 addresses with 739,834 clicks, 73,983 subnets with 295,933 devices, and 184,958 address-device
 * keys; the limits scale linearly with `memoryMb` (283 bytes per visitor, BYTES_PER_VISITOR).
 */
export function windowLimits(memoryMb: number): WindowSetLimits {
  const visitors = (memoryMb * 1_048_576) / BYTES_PER_VISITOR;
  const count = (share: number) => Math.max(MIN_KEYS, Math.floor(visitors * share));
  const distinct = (share: { keys: number; membersPerKey: number; clicksPerMember: number }) => {
    const members = share.keys * share.membersPerKey;
    return { keys: count(share.keys), members: count(members), entries: count(members * share.clicksPerMember) };
  };
  return {
    visitors: {
      keys: count(SHARES.visitors.keys),
      entries: count(SHARES.visitors.keys * SHARES.visitors.clicksPerKey),
    },
    addresses: {
      keys: count(SHARES.addresses.keys),
      entries: count(SHARES.addresses.keys * SHARES.addresses.clicksPerKey),
    },
    subnets: distinct(SHARES.subnets),
    addressDevices: distinct(SHARES.addressDevices),
    lines: { keys: count(SHARES.lines.keys), entries: count(SHARES.lines.keys * SHARES.lines.linesPerKey) },
  };
}
