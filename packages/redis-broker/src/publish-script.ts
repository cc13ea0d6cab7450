/**
 * The one Lua script a publish runs, for one event or a batch of them (`publishBatch`: all
 * stored in the same atomic step, with consecutive ids). Assigning the id and storing the event are one atomic
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

/**
 * The most topics one publish of a single event evicts (or sweeps as expired): twice what it can
 * add. A batch evicts up to twice the distinct topics it names, if that is more.
 */
export const EVICTIONS_PER_PUBLISH = 16;

// KEYS: 1 ids hash, 2 live stream, 3 recency zset, 4 names zset, 5 idempotency hash,
// 6 idempotency zset, 7.. the topic streams of every event (each once). ARGV: 1 the number of
// events, 2 "1" when keyed (one event only), 3 the key, 4 window (ms), 5 most keys,
// 6 historySize, 7 historyTtlMs ("0": none), 8 maxRetainedTopics, 9 liveStreamSize, 10 the
// topic key prefix, 11.. the topic names (same order as KEYS 7..), then per event: its type,
// its data, its topics field ("" to leave it out), its topic count k, and k topic numbers
// (1-based, into the topic names).
// Every command that can fail on a key of the wrong type runs before the first write, so an
// error reply always means nothing was stored, whatever the number of events. Time is Redis's
// own (TIME), one clock for every node.
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

local events = {}
local at = 11 + topicCount
for index = 1, tonumber(ARGV[1]) do
  local count = tonumber(ARGV[at + 3])
  local fields = {'${EVENT_FIELD}', ARGV[at], '${DATA_FIELD}', ARGV[at + 1]}
  if ARGV[at + 2] ~= '' then fields[5], fields[6] = '${TOPICS_FIELD}', ARGV[at + 2] end
  local topics = {}
  for topic = 1, count do topics[topic] = tonumber(ARGV[at + 3 + topic]) end
  events[index] = {fields = fields, topics = topics}
  at = at + 4 + count
end
local firstTopic = ARGV[10 + events[1].topics[1]]

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local keyed = ARGV[2] == '1'
if keyed then
  local horizon = now - tonumber(ARGV[4])
  -- A bounded batch of expired keys per publish; the age check below covers any left over.
  local expired = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', horizon, 'LIMIT', 0, 100)
  for _, old in ipairs(expired) do
    redis.call('HDEL', KEYS[5], old)
    redis.call('ZREM', KEYS[6], old)
  end
  local first = redis.call('HGET', KEYS[5], ARGV[3])
  local stamp = redis.call('ZSCORE', KEYS[6], ARGV[3])
  if first and stamp and tonumber(stamp) > horizon then
    local id, topic = first, firstTopic
    local space = string.find(first, ' ', 1, true)
    if space then id, topic = string.sub(first, 1, space - 1), string.sub(first, space + 1) end
    local entry = redis.call('XRANGE', ARGV[10] .. topic, id, id)[1]
    if entry then return {'seen', id, entry[2]} end
    return {'seen', id}
  end
end

-- The next ids: Redis-style <ms>-<seq>, ms never going back, seq counting within one ms; the
-- events of one call take consecutive ids.
local last = redis.call('HGET', KEYS[1], 'last')
local ms, seq = now, 0
if last then
  local lastMs, lastSeq = parse(last)
  if lastMs >= now then ms, seq = lastMs, lastSeq + 1 end
end
local ids = {}
for index = 1, #events do ids[index] = format(ms, seq + index - 1) end
redis.call('HSET', KEYS[1], 'last', ids[#ids])
if not last then redis.call('HSETNX', KEYS[1], 'first', ids[1]) end

local ttl = tonumber(ARGV[7])
local historySize = tonumber(ARGV[6])
-- Trimming waits for this many extra entries, then cuts them all at once (exactly, so the
-- newest entry cut is known): a bounded amount of work per publish, on average one entry.
local slack = math.min(historySize, 100)
local evictedThrough = redis.call('HGET', KEYS[1], 'evicted-through')
for index, event in ipairs(events) do
  local id = ids[index]
  local recency = scoreOf(ms, seq + index - 1)
  for _, number in ipairs(event.topics) do
    local key = KEYS[6 + number]
    local topic = ARGV[10 + number]
    -- The newest id this topic's stream no longer holds, kept as its max-deleted-entry-id, so
    -- a resume knows exactly whether events after its id were lost.
    local lost = false
    if created[number] then
      -- A new stream may be a topic that held events before: evicted, or expired (its last id
      -- still in the recency set until swept).
      created[number] = false
      local previous = redis.call('ZSCORE', KEYS[3], topic)
      lost = newer(evictedThrough, previous and idOfScore(previous))
    end
    redis.call('XADD', key, id, unpack(event.fields))
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
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[9], id, unpack(event.fields))
end

-- Topics whose key expired (no publish for ttl) leave the topic sets, a bounded batch at a
-- time (twice what this call can add); like evicted topics, they are remembered only by the
-- newest id any of them held.
local evictions = math.max(${EVICTIONS_PER_PUBLISH}, 2 * topicCount)
local forgotten = {}
if ttl > 0 then
  local stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - ttl, 'WITHSCORES', 'LIMIT', 0, evictions)
  for index = 1, #stale, 2 do forgotten[#forgotten + 1] = {stale[index], stale[index + 1]} end
end
-- Past maxRetainedTopics, the least recently published topics are evicted, a bounded batch at a time.
local over = redis.call('ZCARD', KEYS[3]) - #forgotten - tonumber(ARGV[8])
if over > 0 then
  local victims = redis.call('ZRANGE', KEYS[3], #forgotten, #forgotten + math.min(over, evictions) - 1, 'WITHSCORES')
  for index = 1, #victims, 2 do forgotten[#forgotten + 1] = {victims[index], victims[index + 1]} end
end
if #forgotten > 0 then
  local through = evictedThrough
  local names = {}
  for index, entry in ipairs(forgotten) do
    names[index] = entry[1]
    through = newer(through, idOfScore(entry[2]))
    redis.call('DEL', ARGV[10] .. entry[1])
  end
  redis.call('ZREM', KEYS[3], unpack(names))
  redis.call('ZREM', KEYS[4], unpack(names))
  redis.call('HSET', KEYS[1], 'evicted-through', through)
end

if keyed then
  redis.call('HSET', KEYS[5], ARGV[3], ids[1] .. ' ' .. firstTopic)
  redis.call('ZADD', KEYS[6], now, ARGV[3])
  local excess = redis.call('ZCARD', KEYS[6]) - tonumber(ARGV[5])
  if excess > 0 then
    for _, old in ipairs(redis.call('ZRANGE', KEYS[6], 0, excess - 1)) do redis.call('HDEL', KEYS[5], old) end
    redis.call('ZREMRANGEBYRANK', KEYS[6], 0, excess - 1)
  end
end
return {'stored', unpack(ids)}
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
}

/** A keyed publish's key: only a single event carries one. */
export interface PublishScriptKey {
  readonly idempotencyKey?: string | undefined;
}

/**
 * Runs the publish script (registered with {@link definePublishScript}) for one event, or
 * several stored in one atomic step with consecutive ids (a batch: never keyed).
 * Resolves with the ids in input order (`id` is the first).
 */
export async function runPublishScript(
  connection: RedisConnection,
  keys: BrokerKeys,
  options: ResolvedRedisBrokerOptions,
  events: readonly PublishScriptInput[],
  key: PublishScriptKey = {},
): Promise<PublishReply & { readonly ids: readonly string[] }> {
  const { idempotencyKey } = key;
  const { historySize, historyTtlMs, maxRetainedTopics, liveStreamSize, idempotencyWindowMs, maxIdempotencyKeys } = options;
  // defineCommand adds the method at run time; ioredis's types cannot know it.
  const publish = (connection as unknown as Record<typeof COMMAND, PublishCommand>)[COMMAND].bind(connection);
  const keyed = idempotencyKey !== undefined && events.length === 1;
  // Each topic's stream is named once, as a key (so Redis knows every key the script touches),
  // and each event refers to its topics by number.
  const numbers = new Map<string, number>();
  const eventArgs: (string | number)[] = [];
  for (const { event, data, topics } of events) {
    eventArgs.push(event, data, topicsFieldValue(topics) ?? "", topics.length);
    for (const topic of topics) {
      let number = numbers.get(topic);
      if (number === undefined) {
        number = numbers.size + 1;
        numbers.set(topic, number);
      }
      eventArgs.push(number);
    }
  }
  const names = [...numbers.keys()];
  const reply = (await publish(
    6 + names.length,
    keys.ids,
    keys.live,
    keys.recency,
    keys.names,
    keys.idempotencyIds,
    keys.idempotencyTimes,
    ...names.map((topic) => keys.topic(topic)),
    events.length,
    keyed ? "1" : "0",
    keyed ? idempotencyKey : "",
    idempotencyWindowMs,
    maxIdempotencyKeys,
    historySize,
    historyTtlMs === false ? 0 : historyTtlMs,
    maxRetainedTopics,
    liveStreamSize,
    topicKeyPrefix(keys.prefix),
    ...names,
    ...eventArgs,
  )) as [string, ...unknown[]];
  const [outcome, ...rest] = reply;
  if (outcome === "seen") {
    const [id, fields] = rest as [string, string[]?];
    return { id, ids: [id], stored: false, fields };
  }
  const ids = rest as string[];
  return { id: ids[0] as string, ids, stored: true, fields: undefined };
}
