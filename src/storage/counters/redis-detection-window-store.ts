import { randomBytes } from 'node:crypto';
import type { ClickHistory } from '../../detection/index.ts';
import {
  BURST_RETENTION_MS,
  DUPLICATE_RETENTION_MS,
  type ClaimGroup,
  type ClickWindowKeys,
  type DetectionWindowStore,
} from './detection-window-store.ts';
import { MAX_MEMBERS_PER_KEY } from './memory-distinct-window.ts';
import { LINES_PER_KEY, MIN_CLAIMED_BROWSERS } from './memory-line-window.ts';
import { BURST_TIMES_PER_KEY } from './memory-visitor-window.ts';
import type { RedisScripts } from './redis-scripts.ts';

/** As the memory windows: more repeats of one visitor are all duplicates anyway. */
const VISITOR_TIMES_PER_KEY = 16;
/** As the memory distinct window: a device's latest clicks are enough for a farm's late finding. */
const CLICKS_PER_MEMBER = 4;

/**
 * Every window of one click in one round trip. Sorted sets, score = click time, member = click id
 * (a visitor hash in the distinct sets); ZREMRANGEBYSCORE drops what left the window, a rank trim
 * caps each key like the memory windows do, and PEXPIRE bounds every key's life.
 * KEYS: device, address, address devices, subnet (or ''), the subnet's lines (or ''); ARGV: now, member, visitor key,
 * spans, retentions, caps, the history span, the line (the address key), the lines cap.
 * The lines are a hash, line → "seen,browsers" (as the memory line window): at most the cap of them, the oldest
 * dropped first, read whole on each click (a few fields).
 */
export const OBSERVE_SCRIPT = `
local now = tonumber(ARGV[1])
local id = ARGV[2]
local vk = ARGV[3]
local dup, burst, short, farm = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local vret, aret = tonumber(ARGV[8]), tonumber(ARGV[9])
local vcap, acap, mcap, pcap = tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13])
local history = tonumber(ARGV[14])
local function count(key, within, ret)
  return redis.call('ZCOUNT', key, '(' .. (now - math.min(within, ret)), '+inf')
end
local function push(key, member, ret, cap)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - ret)
  redis.call('ZADD', key, now, member)
  local size = redis.call('ZCARD', key)
  if size > cap then redis.call('ZREMRANGEBYRANK', key, 0, size - cap - 1) end
  redis.call('PEXPIRE', key, ret)
end
local dev, ip, ipdev, subnet = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
redis.call('ZREMRANGEBYSCORE', dev, '-inf', now - vret)
local burstClicks = count(dev, burst, vret)
local shortClicks = count(dev, short, vret)
local recentClicks = count(dev, dup, vret)
push(dev, id, vret, vcap)
redis.call('ZREMRANGEBYSCORE', ip, '-inf', now - aret)
local ipRecent = count(ip, burst, aret)
push(ip, id, aret, acap)
local ipShort = count(ip, short, aret) - 1
local farmClicks = count(ip, farm, aret)
push(ipdev, vk, aret, mcap)
local addressDevices = count(ipdev, farm, aret)
local addressShort = count(ipdev, short, aret)
local addressBurst = count(ipdev, burst, aret)
local addressHistory = count(ipdev, history, aret)
local subnetDevices, subnetHistory, otherLine = 1, 1, 0
if subnet ~= '' then
  push(subnet, vk, aret, mcap)
  push(subnet .. '|' .. vk, id, aret, pcap)
  subnetDevices = count(subnet, farm, aret)
  subnetHistory = count(subnet, history, aret)
  local lines, line, lcap = KEYS[5], ARGV[15], tonumber(ARGV[16])
  local all = redis.call('HGETALL', lines)
  local others, oldest, oldestSeen, present = 0, nil, nil, false
  for i = 1, #all, 2 do
    local field, value = all[i], all[i + 1]
    local comma = string.find(value, ',', 1, true)
    local seen, browsers = tonumber(string.sub(value, 1, comma - 1)), tonumber(string.sub(value, comma + 1))
    if field == line then
      present = true
    elseif seen <= now - aret then
      redis.call('HDEL', lines, field)
    else
      others = others + 1
      if seen > now - math.min(farm, aret) and browsers > otherLine then otherLine = browsers end
      if oldestSeen == nil or seen < oldestSeen then oldest, oldestSeen = field, seen end
    end
  end
  if not present and others >= lcap then redis.call('HDEL', lines, oldest) end
  -- ARGV[1] as sent: Lua would print a millisecond time as 1.7e+12.
  redis.call('HSET', lines, line, ARGV[1] .. ',' .. addressDevices)
  redis.call('PEXPIRE', lines, aret)
end
return {recentClicks, burstClicks, shortClicks, ipRecent, ipShort, subnetDevices, farmClicks, addressDevices,
  addressShort, addressBurst, addressHistory, subnetHistory, otherLine}
`;

/**
 * Hands out the ids within the span not yet carrying `mark`, and marks them (a hash beside the key).
 * KEYS: window key, marks hash; ARGV: cutoff, mark, 'distinct' when the key holds members whose clicks
 * are in `key|member`, retention.
 */
export const CLAIM_SCRIPT = `
local key, marks = KEYS[1], KEYS[2]
local cutoff, mark, distinct, ret = ARGV[1], tonumber(ARGV[2]), ARGV[3] == 'distinct', tonumber(ARGV[4])
local ids = {}
if distinct then
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', key, '(' .. cutoff, '+inf')) do
    for _, id in ipairs(redis.call('ZRANGEBYSCORE', key .. '|' .. member, '(' .. cutoff, '+inf')) do ids[#ids + 1] = id end
  end
else
  ids = redis.call('ZRANGEBYSCORE', key, '(' .. cutoff, '+inf')
end
local claimed = {}
for _, id in ipairs(ids) do
  if string.sub(id, 1, 1) ~= '~' then
    local had = tonumber(redis.call('HGET', marks, id) or '0')
    if bit.band(had, mark) == 0 then
      redis.call('HSET', marks, id, bit.bor(had, mark))
      claimed[#claimed + 1] = id
    end
  end
end
if #claimed > 0 then redis.call('PEXPIRE', marks, ret) end
return claimed
`;

/** The lines of a subnet's line hash ("seen,browsers") seen after `cutoff` with more than one browser. */
async function farmLines(redis: RedisScripts, linesKey: string, cutoff: number): Promise<string[]> {
  const all = await redis.hgetall(linesKey);
  return Object.entries(all)
    .filter(([, value]) => {
      const [seen, browsers] = value.split(',').map(Number) as [number, number];
      return seen > cutoff && browsers >= MIN_CLAIMED_BROWSERS;
    })
    .map(([line]) => line);
}

export interface RedisWindowStoreOptions {
  /** Namespace of every key (one per installation; tests use one per run). */
  readonly prefix: string;
}

/**
 * The detection windows in Redis, for several nodes: the same counts as the memory windows (same
 * retention, same caps), one EVALSHA per click. Keys carry the campaign, so an account's windows never
 * mix with another's.
 */
export function createRedisDetectionWindowStore(
  redis: RedisScripts,
  options: RedisWindowStoreOptions,
): DetectionWindowStore {
  const { prefix } = options;
  const key = (window: string, name: string) => `${prefix}w:${window}:${name}`;
  // A click without id (benchmarks) still needs a distinct member; '~' keeps it out of claims.
  const anonymous = `~${randomBytes(4).toString('hex')}:`;
  let sequence = 0;
  return {
    async observe(click) {
      const { keys, spans } = click;
      const result = await redis.observeWindows(
        key('v', keys.device),
        key('a', keys.ip),
        key('d', keys.ip),
        keys.subnet ? key('s', keys.subnet) : '',
        keys.subnet ? key('l', keys.subnet) : '',
        click.now,
        click.clickId ?? `${anonymous}${++sequence}`,
        click.visitorKey,
        spans.duplicateMs,
        spans.burstMs,
        spans.shortMs,
        spans.farmMs,
        DUPLICATE_RETENTION_MS,
        BURST_RETENTION_MS,
        VISITOR_TIMES_PER_KEY,
        BURST_TIMES_PER_KEY,
        MAX_MEMBERS_PER_KEY,
        CLICKS_PER_MEMBER,
        spans.historyMs,
        keys.ip,
        LINES_PER_KEY,
      );
      const [
        recent,
        burst,
        short,
        ipRecent,
        ipShort,
        subnetDevices,
        farmClicks,
        addressDevices,
        addressShort,
        addressBurst,
        addressHistory,
        subnetHistory,
        otherLine,
      ] = result as number[] as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      return {
        sameVisitorRecentClicks: recent,
        sameVisitorBurstClicks: burst,
        sameVisitorShortClicks: short,
        sameIpRecentClicks: ipRecent,
        sameIpShortClicks: ipShort,
        subnetRecentDevices: subnetDevices,
        addressFarmClicks: farmClicks,
        addressRecentDevices: addressDevices,
        addressShortDevices: addressShort,
        addressBurstDevices: addressBurst,
        addressHistoryDevices: addressHistory,
        subnetHistoryDevices: subnetHistory,
        subnetOtherLineDevices: otherLine,
      } satisfies ClickHistory;
    },
    async claim(keys: ClickWindowKeys, group: ClaimGroup, now: number, withinMs: number, mark: number) {
      const retention = group === 'device' ? DUPLICATE_RETENTION_MS : BURST_RETENTION_MS;
      const cutoff = now - Math.min(withinMs, retention);
      if (group === 'lines') {
        // As the memory store: each line's own address window, which keeps all its clicks (on the late path,
        // one round trip per line of at most LINES_PER_KEY).
        const lines = keys.subnet ? await farmLines(redis, key('l', keys.subnet), cutoff) : [keys.ip];
        const claimed = await Promise.all(
          lines.map((line) =>
            redis.claimWindow(key('a', line), `${key('a', line)}:m`, cutoff, mark, 'list', retention),
          ),
        );
        return claimed.flat();
      }
      const name =
        group === 'device'
          ? key('v', keys.device)
          : group === 'ip'
            ? key('a', keys.ip)
            : keys.subnet
              ? key('s', keys.subnet)
              : null;
      if (name === null) return [];
      return redis.claimWindow(name, `${name}:m`, cutoff, mark, group === 'subnet' ? 'distinct' : 'list', retention);
    },
    close: async () => undefined,
  };
}
