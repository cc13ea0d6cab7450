/**
 * The read-only Lua script a resume runs: in one atomic step it reads the id facts, finds
 * the retained topics of the subscription's patterns, and reads each topic's facts and the
 * entries after the requested id. Atomic, so no topic can appear between the pattern lookup
 * and the reads, and every event stored before the step has an id at most `lastId`, every
 * event stored after it a greater one. It touches the subscribed topics only: its cost follows
 * them, however busy the other topics are.
 */
import type { SubscribedTopic } from "@events/sse-core";
import type { RedisConnection } from "./connection.ts";
import { type BrokerKeys, topicKeyPrefix } from "./keys.ts";
import { LUA_ID_HELPERS } from "./lua-ids.ts";
import type { RawEntry } from "./stream-reader.ts";
import { MISSING_STREAM, type StreamFacts, toStreamFacts } from "./stream-info.ts";

/** One topic a resume read. */
export interface TopicSnapshot {
  readonly topic: string;
  readonly facts: StreamFacts;
  /**
   * For a topic with no stream that is still listed (its key expired and the next publishes
   * have not swept it yet): the newest id it held (or a bound just above it).
   */
  readonly forgottenLastId: string | undefined;
  /** The entries after the requested id (all of them when reading from the start), oldest first. */
  readonly entries: readonly RawEntry[];
}

/** The history as one resume saw it, at one moment. */
export interface ResumeSnapshot {
  /** Redis's clock (ms) at that moment. */
  readonly now: number;
  /** The newest id handed out, undefined when this history never handed one out. */
  readonly lastId: string | undefined;
  /** The first id this history handed out (ids below it belong to a lost history). */
  readonly firstId: string | undefined;
  /** The newest id any evicted topic held, undefined when no topic was evicted. */
  readonly evictedThroughId: string | undefined;
  /** Each retained topic the subscription matches, and each exact topic subscribed (held or not). */
  readonly topics: readonly TopicSnapshot[];
}

// KEYS: 1 ids hash, 2 names zset, 3 recency zset. ARGV: 1 topic key prefix, 2 "-" (from the start) or the id to
// read after, 3.. the patterns: "e:<topic>", "p:<prefix>" or "a" (every topic).
const RESUME_SCRIPT = `${LUA_ID_HELPERS}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ids = redis.call('HMGET', KEYS[1], 'last', 'first', 'evicted-through')
local topics, seen = {}, {}
local function add(topic)
  if not seen[topic] then
    seen[topic] = true
    topics[#topics + 1] = topic
  end
end
for index = 3, #ARGV do
  local kind, value = string.sub(ARGV[index], 1, 1), string.sub(ARGV[index], 3)
  if kind == 'e' then
    add(value)
  elseif kind == 'p' then
    -- Every name under "<prefix>/" sorts from "<prefix>/" (inclusive) to "<prefix>0" ("0" follows "/").
    for _, topic in ipairs(redis.call('ZRANGEBYLEX', KEYS[2], '[' .. value .. '/', '(' .. value .. '0')) do add(topic) end
  else
    for _, topic in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do add(topic) end
  end
end
local from = ARGV[2] == '-' and '-' or '(' .. ARGV[2]
local read = {}
for _, topic in ipairs(topics) do
  local key = ARGV[1] .. topic
  local info = redis.pcall('XINFO', 'STREAM', key)
  if type(info) == 'table' and info.err then
    local score = redis.call('ZSCORE', KEYS[3], topic)
    read[#read + 1] = {topic, 0, {}, score and idOfScore(score)}
  else
    read[#read + 1] = {topic, info, redis.call('XRANGE', key, from, '+')}
  end
end
return {now, ids[1], ids[2], ids[3], read}
`;

const COMMAND = "eventsResume";

type ResumeCommand = (...args: (string | number)[]) => Promise<unknown>;

/** Registers the script on `connection` (run with `EVALSHA`, falling back to `EVAL`). */
export function defineResumeScript(connection: RedisConnection): void {
  connection.defineCommand(COMMAND, { numberOfKeys: 3, lua: RESUME_SCRIPT });
}

/** How a pattern travels to the script. */
function encodePattern({ pattern }: SubscribedTopic): string {
  switch (pattern.kind) {
    case "exact":
      return `e:${pattern.topic}`;
    case "prefix":
      return `p:${pattern.prefix}`;
    case "all":
      return "a";
  }
}

type RawReply = [number, string | null, string | null, string | null, [string, unknown, RawEntry[], (string | null)?][]];

/**
 * Reads the subscription's topics after `afterId` (or from the start with `"-"`), with the
 * script registered by {@link defineResumeScript}.
 */
export async function runResumeScript(
  connection: RedisConnection,
  keys: BrokerKeys,
  afterId: string,
  subscribed: readonly SubscribedTopic[],
): Promise<ResumeSnapshot> {
  // defineCommand adds the method at run time; ioredis's types cannot know it.
  const resume = (connection as unknown as Record<typeof COMMAND, ResumeCommand>)[COMMAND].bind(connection);
  const [now, lastId, firstId, evictedThroughId, read] = (await resume(
    keys.ids,
    keys.names,
    keys.recency,
    topicKeyPrefix(keys.prefix),
    afterId,
    ...subscribed.map(encodePattern),
  )) as RawReply;
  return {
    now,
    lastId: lastId ?? undefined,
    firstId: firstId ?? undefined,
    evictedThroughId: evictedThroughId ?? undefined,
    topics: read.map(([topic, info, entries, forgottenLastId]) => ({
      topic,
      facts: info === 0 ? MISSING_STREAM : toStreamFacts(null, info),
      entries,
      forgottenLastId: forgottenLastId ?? undefined,
    })),
  };
}
