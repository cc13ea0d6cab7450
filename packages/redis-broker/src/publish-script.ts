/**
 * The one Lua script a publish runs. Assigning the id and storing the event are one atomic
 * step: an id handed out in one command and stored in another would let two nodes store 6
 * before 5, so a live reader would see 6 first and a resume after 6 would skip 5 for good.
 * The idempotency check and record, the history bounds (count, age, retained topics) and the
 * live stream every node's reader tails are part of the same step.
 */
import type { RedisConnection } from "./connection.ts";
import type { BrokerKeys } from "./keys.ts";
import { topicKeyPrefix } from "./keys.ts";
import type { ResolvedRedisBrokerOptions } from "./options.ts";
import { LUA_ID_HELPERS } from "./lua-ids.ts";
import { DATA_FIELD, EVENT_FIELD, TOPICS_FIELD, topicsFieldValue } from "./stored-event.ts";

/** What a publish answers. */
export interface PublishReply {
  /** The event id: the new event's, or for a key seen within the window the first event's. */
  readonly id: string;
  /** False when the key was seen within the window and nothing was stored. */
  readonly stored: boolean;
  /** For a key seen before: the first event's entry fields while its topic still holds it. */
  readonly fields: readonly string[] | undefined;
}

/** The most topics one publish evicts (or sweeps as expired): twice what one publish can add. */
export const EVICTIONS_PER_PUBLISH = 16;

// KEYS: 1 ids hash, 2 live stream, 3 recency zset, 4 names zset, 5 idempotency hash,
// 6 idempotency zset, 7.. the event's topic streams. ARGV: 1 event, 2 data, 3 topics field
// ("" to leave it out), 4 "1" when keyed, 5 the key, 6 window (ms), 7 most keys, 8 historySize,
// 9 historyTtlMs ("0": none), 10 maxRetainedTopics, 11 liveStreamSize, 12 the topic key
// prefix, 13.. the topic names (same order as KEYS 7..).
// Every command that can fail on a key of the wrong type runs before the first write, so an
// error reply always means nothing was stored. Time is Redis's own (TIME), one clock for every node.
const PUBLISH_SCRIPT = `${LUA_ID_HELPERS}
local topicCount = #KEYS - 6
local kinds = {[1] = 'hash', [2] = 'stream', [3] = 'zset', [4] = 'zset', [5] = 'hash', [6] = 'zset'}
local created = {}
for index = 1, #KEYS do
  local kind = redis.call('TYPE', KEYS[index]).ok
  local expected = kinds[index] or 'stream'
  if kind ~= 'none' and kind ~= expected then
    return redis.error_reply('WRONGTYPE ' .. KEYS[index] .. ' holds a ' .. kind .. ', not a ' .. expected)
  end
  if index > 6 then created[index - 6] = kind == 'none' end
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local keyed = ARGV[4] == '1'
if keyed then
  local horizon = now - tonumber(ARGV[6])
  -- A bounded batch of expired keys per publish; the age check below covers any left over.
  local expired = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', horizon, 'LIMIT', 0, 100)
  for _, old in ipairs(expired) do
    redis.call('HDEL', KEYS[5], old)
    redis.call('ZREM', KEYS[6], old)
  end
  local first = redis.call('HGET', KEYS[5], ARGV[5])
  local at = redis.call('ZSCORE', KEYS[6], ARGV[5])
  if first and at and tonumber(at) > horizon then
    local id, topic = first, ARGV[13]
    local space = string.find(first, ' ', 1, true)
    if space then id, topic = string.sub(first, 1, space - 1), string.sub(first, space + 1) end
    local entry = redis.call('XRANGE', ARGV[12] .. topic, id, id)[1]
    if entry then return {'seen', id, entry[2]} end
    return {'seen', id}
  end
end

-- The next id: Redis-style <ms>-<seq>, ms never going back, seq counting within one ms.
local last = redis.call('HGET', KEYS[1], 'last')
local ms, seq = now, 0
if last then
  local lastMs, lastSeq = parse(last)
  if lastMs >= now then ms, seq = lastMs, lastSeq + 1 end
end
local id = format(ms, seq)
redis.call('HSET', KEYS[1], 'last', id)
if not last then redis.call('HSETNX', KEYS[1], 'first', id) end

local ttl = tonumber(ARGV[9])
local historySize = tonumber(ARGV[8])
-- Trimming waits for this many extra entries, then cuts them all at once (exactly, so the
-- newest entry cut is known): a bounded amount of work per publish, on average one entry.
local slack = math.min(historySize, 100)
local recency = scoreOf(ms, seq)
local evictedThrough = redis.call('HGET', KEYS[1], 'evicted-through')
local fields = {'${EVENT_FIELD}', ARGV[1], '${DATA_FIELD}', ARGV[2]}
if ARGV[3] ~= '' then fields[5], fields[6] = '${TOPICS_FIELD}', ARGV[3] end
for index = 1, topicCount do
  local key = KEYS[6 + index]
  local topic = ARGV[12 + index]
  -- The newest id this topic's stream no longer holds, kept as its max-deleted-entry-id, so
  -- a resume knows exactly whether events after its id were lost.
  local lost = false
  if created[index] then
    -- A new stream may be a topic that held events before: evicted, or expired (its last id
    -- still in the recency set until swept).
    local previous = redis.call('ZSCORE', KEYS[3], topic)
    lost = newer(evictedThrough, previous and idOfScore(previous))
  end
  redis.call('XADD', key, id, unpack(fields))
  local length = redis.call('XLEN', key)
  if length > historySize + slack then
    local cut = length - historySize
    lost = redis.call('XRANGE', key, '-', '+', 'COUNT', cut)[cut][1]
    redis.call('XTRIM', key, 'MAXLEN', historySize)
  end
  if ttl > 0 then
    if now - ttl > 0 then
      local horizon = format(now - ttl, 0)
      local expired = redis.call('XREVRANGE', key, '(' .. horizon, '-', 'COUNT', 1)[1]
      if expired then
        lost = newer(lost, expired[1])
        redis.call('XTRIM', key, 'MINID', horizon)
      end
    end
    redis.call('PEXPIRE', key, ttl)
  end
  if lost then redis.call('XSETID', key, id, 'MAXDELETEDID', lost) end
  redis.call('ZADD', KEYS[3], recency, topic)
  redis.call('ZADD', KEYS[4], 0, topic)
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[11], id, unpack(fields))

-- Topics whose key expired (no publish for ttl) leave the topic sets, a bounded batch at a
-- time; like evicted topics, they are remembered only by the newest id any of them held.
local forgotten = {}
if ttl > 0 then
  local stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - ttl, 'WITHSCORES', 'LIMIT', 0, ${EVICTIONS_PER_PUBLISH})
  for index = 1, #stale, 2 do forgotten[#forgotten + 1] = {stale[index], stale[index + 1]} end
end
-- Past maxRetainedTopics, the least recently published topics are evicted, a bounded batch at a time.
local over = redis.call('ZCARD', KEYS[3]) - #forgotten - tonumber(ARGV[10])
if over > 0 then
  local victims = redis.call('ZRANGE', KEYS[3], #forgotten, #forgotten + math.min(over, ${EVICTIONS_PER_PUBLISH}) - 1, 'WITHSCORES')
  for index = 1, #victims, 2 do forgotten[#forgotten + 1] = {victims[index], victims[index + 1]} end
end
if #forgotten > 0 then
  local through = evictedThrough
  local names = {}
  for index, entry in ipairs(forgotten) do
    names[index] = entry[1]
    through = newer(through, idOfScore(entry[2]))
    redis.call('DEL', ARGV[12] .. entry[1])
  end
  redis.call('ZREM', KEYS[3], unpack(names))
  redis.call('ZREM', KEYS[4], unpack(names))
  redis.call('HSET', KEYS[1], 'evicted-through', through)
end

if keyed then
  redis.call('HSET', KEYS[5], ARGV[5], id .. ' ' .. ARGV[13])
  redis.call('ZADD', KEYS[6], now, ARGV[5])
  local excess = redis.call('ZCARD', KEYS[6]) - tonumber(ARGV[7])
  if excess > 0 then
    for _, old in ipairs(redis.call('ZRANGE', KEYS[6], 0, excess - 1)) do redis.call('HDEL', KEYS[5], old) end
    redis.call('ZREMRANGEBYRANK', KEYS[6], 0, excess - 1)
  end
end
return {'stored', id}
`;

const COMMAND = "eventsPublishToTopics";

type PublishCommand = (...args: (string | number)[]) => Promise<unknown>;

/**
 * Registers the script on `connection` (ioredis runs it with `EVALSHA`, falling back to
 * `EVAL` when Redis does not have it cached, e.g. after a restart). The number of keys varies
 * with the event's topics, so it is passed with each call.
 */
export function definePublishScript(connection: RedisConnection): void {
  connection.defineCommand(COMMAND, { lua: PUBLISH_SCRIPT });
}

/** What one publish stores. */
export interface PublishScriptInput {
  readonly event: string;
  readonly data: string;
  /** Checked, unique topic names (`resolvePublishTopics`). */
  readonly topics: readonly string[];
  readonly idempotencyKey?: string | undefined;
}

/** Runs the publish script (registered with {@link definePublishScript}) for one event. */
export async function runPublishScript(
  connection: RedisConnection,
  keys: BrokerKeys,
  options: ResolvedRedisBrokerOptions,
  input: PublishScriptInput,
): Promise<PublishReply> {
  const { event, data, topics, idempotencyKey } = input;
  const { historySize, historyTtlMs, maxRetainedTopics, liveStreamSize, idempotencyWindowMs, maxIdempotencyKeys } = options;
  // defineCommand adds the method at run time; ioredis's types cannot know it.
  const publish = (connection as unknown as Record<typeof COMMAND, PublishCommand>)[COMMAND].bind(connection);
  const keyed = idempotencyKey !== undefined;
  const reply = (await publish(
    6 + topics.length,
    keys.ids,
    keys.live,
    keys.recency,
    keys.names,
    keys.idempotencyIds,
    keys.idempotencyTimes,
    ...topics.map((topic) => keys.topic(topic)),
    event,
    data,
    topicsFieldValue(topics) ?? "",
    keyed ? "1" : "0",
    idempotencyKey ?? "",
    idempotencyWindowMs,
    maxIdempotencyKeys,
    historySize,
    historyTtlMs === false ? 0 : historyTtlMs,
    maxRetainedTopics,
    liveStreamSize,
    topicKeyPrefix(keys.prefix),
    ...topics,
  )) as [string, string, string[]?];
  const [outcome, id, fields] = reply;
  return { id, stored: outcome === "stored", fields };
}
