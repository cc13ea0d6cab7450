/**
 * The one Lua script a publish runs, so an idempotent publish is atomic: checking the key,
 * appending the entry and remembering the key happen in one step, and two publishes with one
 * key (from any nodes, or a retry racing a command Redis had buffered) never both store.
 */
import type { RedisConnection } from "./connection.ts";
import type { ResolvedRedisBrokerOptions } from "./options.ts";
import { DATA_FIELD, EVENT_FIELD } from "./stored-event.ts";

/** What a publish answers. */
export interface PublishReply {
  /** The entry id: the new entry's, or for a key seen within the window the first entry's. */
  readonly id: string;
  /** False when the key was seen within the window and nothing was stored. */
  readonly stored: boolean;
  /** For a key seen before: the first entry's fields while the stream still holds it. */
  readonly fields: readonly string[] | undefined;
}

/** The keys next to the stream that remember idempotency keys. */
export function idempotencyKeys(streamKey: string): { readonly ids: string; readonly times: string } {
  return { ids: `${streamKey}:idempotency`, times: `${streamKey}:idempotency:at` };
}

// KEYS: 1 the stream, 2 a hash (idempotency key -> entry id), 3 a sorted set (idempotency key
// scored by the ms of the publish that stored it). ARGV: 1 MAXLEN, 2 event, 3 data, 4 "1" when
// a key is given, 5 the key, 6 the window (ms), 7 the most keys remembered.
// Every command that can fail on a key of the wrong type runs before XADD, so an error reply
// always means nothing was stored. Time is Redis's own (TIME), the same clock for every node.
const PUBLISH_SCRIPT = `
local keyed = ARGV[4] == '1'
local now
if keyed then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  local horizon = now - tonumber(ARGV[6])
  -- A bounded batch of expired keys per publish; the age check below covers any left over.
  local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', horizon, 'LIMIT', 0, 100)
  for _, old in ipairs(expired) do
    redis.call('HDEL', KEYS[2], old)
    redis.call('ZREM', KEYS[3], old)
  end
  local first = redis.call('HGET', KEYS[2], ARGV[5])
  local at = redis.call('ZSCORE', KEYS[3], ARGV[5])
  if first and at and tonumber(at) > horizon then
    local entry = redis.call('XRANGE', KEYS[1], first, first)[1]
    if entry then return {'seen', first, entry[2]} end
    return {'seen', first}
  end
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', '${EVENT_FIELD}', ARGV[2], '${DATA_FIELD}', ARGV[3])
if keyed then
  redis.call('HSET', KEYS[2], ARGV[5], id)
  redis.call('ZADD', KEYS[3], now, ARGV[5])
  local over = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[7])
  if over > 0 then
    for _, old in ipairs(redis.call('ZRANGE', KEYS[3], 0, over - 1)) do redis.call('HDEL', KEYS[2], old) end
    redis.call('ZREMRANGEBYRANK', KEYS[3], 0, over - 1)
  end
end
return {'stored', id}
`;

const COMMAND = "eventsPublish";

type PublishCommand = (...args: (string | number)[]) => Promise<unknown>;

/**
 * Registers the script on `connection` (ioredis runs it with `EVALSHA`, falling back to
 * `EVAL` when Redis does not have it cached, e.g. after a restart).
 */
export function definePublishScript(connection: RedisConnection): void {
  connection.defineCommand(COMMAND, { numberOfKeys: 3, lua: PUBLISH_SCRIPT });
}

/** Runs the publish script (registered with {@link definePublishScript}) for one event. */
export async function runPublishScript(
  connection: RedisConnection,
  options: ResolvedRedisBrokerOptions,
  input: { readonly event: string; readonly data: string; readonly idempotencyKey?: string | undefined },
): Promise<PublishReply> {
  const { event, data, idempotencyKey } = input;
  const { streamKey, historySize, idempotencyWindowMs, maxIdempotencyKeys } = options;
  const keys = idempotencyKeys(streamKey);
  // defineCommand adds the method at run time; ioredis's types cannot know it.
  const publish = (connection as unknown as Record<typeof COMMAND, PublishCommand>)[COMMAND].bind(connection);
  const keyed = idempotencyKey !== undefined;
  const reply = (await publish(
    streamKey,
    keys.ids,
    keys.times,
    historySize,
    event,
    data,
    keyed ? "1" : "0",
    idempotencyKey ?? "",
    idempotencyWindowMs,
    maxIdempotencyKeys,
  )) as [string, string, string[]?];
  const [outcome, id, fields] = reply;
  return { id, stored: outcome === "stored", fields };
}
