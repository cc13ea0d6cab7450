import { SseError, describeValue } from "./errors.ts";

/** The topic a stream without `topic` subscribes to and `POST /events/trigger` publishes to. */
export const DEFAULT_TOPIC = "events";

/** The most characters a topic name may have (all ASCII, so also the most bytes). */
export const MAX_TOPIC_LENGTH = 200;

/**
 * What a subscription asks for, from {@link parseTopicPattern}:
 * - `exact`: the one topic `topic`;
 * - `prefix`: every topic under `prefix` at any depth (`"orders/*"` → prefix `"orders"`
 *   matches `orders/42` and `orders/42/lines`, never `orders` itself);
 * - `all`: every topic (`"*"`).
 */
export type TopicPattern =
  | { readonly kind: "exact"; readonly topic: string }
  | { readonly kind: "prefix"; readonly prefix: string }
  | { readonly kind: "all" };

/** Why a name is not a topic: the rule it breaks and how to fix it. */
interface TopicProblem {
  readonly rule: string;
  readonly fix: string;
}

const ALLOWED = "ASCII letters, digits and - . _ ~ : @ /";

/**
 * Character codes allowed in a topic: A-Z a-z 0-9 and `-._~:@/`. ASCII only, on purpose:
 * one spelling per topic (no Unicode normalisation: NFC and NFD "é" would be two topics that
 * look alike), nothing to escape in a URL path segment, a query or a Redis key, and
 * 200 characters are 200 bytes.
 */
const ALLOWED_CODES: Uint8Array = (() => {
  const table = new Uint8Array(128);
  const ranges: ReadonlyArray<readonly [string, string]> = [["A", "Z"], ["a", "z"], ["0", "9"]];
  for (const [from, to] of ranges) {
    for (let code = from.charCodeAt(0); code <= to.charCodeAt(0); code++) table[code] = 1;
  }
  for (const char of "-._~:@/") table[char.charCodeAt(0)] = 1;
  return table;
})();

const SLASH = 0x2f;
const DOT = 0x2e;

/** Checks `name` against the topic rules without throwing; `undefined` when it is a topic. */
function findTopicProblem(name: string): TopicProblem | undefined {
  if (name.length === 0 || name.length > MAX_TOPIC_LENGTH) {
    return {
      rule: `must be 1 to ${MAX_TOPIC_LENGTH} characters long (got ${describeValue(name)}, ${name.length} characters)`,
      fix: name.length === 0 ? `name a topic, e.g. "orders/42"` : "shorten it, e.g. by hashing a long part",
    };
  }
  let segmentStart = 0;
  for (let index = 0; index <= name.length; index++) {
    const code = index === name.length ? SLASH : name.charCodeAt(index);
    if (code === SLASH) {
      const length = index - segmentStart;
      const first = name.charCodeAt(segmentStart);
      if (length === 0 || (first === DOT && (length === 1 || (length === 2 && name.charCodeAt(segmentStart + 1) === DOT)))) {
        return {
          rule: `must not have an empty, "." or ".." segment, so no leading, trailing or doubled "/" (got ${describeValue(name)}, segment ${describeValue(name.slice(segmentStart, index))} at index ${segmentStart})`,
          fix: `write segments of one or more characters between single slashes, e.g. "orders/42"`,
        };
      }
      segmentStart = index + 1;
    } else if (code >= 128 || ALLOWED_CODES[code] !== 1) {
      const char = String.fromCodePoint(name.codePointAt(index) as number);
      return {
        rule: `must contain only ${ALLOWED} (got ${describeValue(name)}, ${describeValue(char)} at index ${index})`,
        fix:
          char === "*"
            ? `"*" belongs only in subscription patterns ("orders/*", "*"); name one topic, e.g. "orders/42"`
            : "remove or replace that character",
      };
    }
  }
  return undefined;
}

/**
 * Checks a topic name: 1-200 characters from ASCII letters, digits and `-._~:@/`; `/`
 * separates segments; no empty, `.` or `..` segment (so no leading, trailing or doubled `/`).
 * Topics are what events are published to; a pattern (`orders/*`, `*`) is never a topic.
 *
 * @throws {SseError} `INVALID_TOPIC` naming the rule broken, the value and the fix.
 * @example
 * ```ts
 * assertValidTopic("orders/42"); // ok
 * assertValidTopic("orders/*"); // throws INVALID_TOPIC
 * ```
 */
export function assertValidTopic(name: unknown): asserts name is string {
  if (typeof name !== "string") {
    throw new SseError("INVALID_TOPIC", `topic must be a string (got ${describeValue(name)}); pass a name such as "orders/42"`);
  }
  const problem = findTopicProblem(name);
  if (problem !== undefined) throw new SseError("INVALID_TOPIC", `topic ${problem.rule}; ${problem.fix}`);
}

/**
 * Parses a subscription pattern: a topic name (exact), a topic name followed by `/*`
 * (every topic under it at any depth, not the name itself), or `*` alone (every topic).
 * Patterns are for subscribing only; publish to topics ({@link assertValidTopic}).
 *
 * @throws {SseError} `INVALID_TOPIC_PATTERN` naming the rule broken, the value and the fix.
 * @example
 * ```ts
 * parseTopicPattern("orders/42"); // { kind: "exact", topic: "orders/42" }
 * parseTopicPattern("users/7/*"); // { kind: "prefix", prefix: "users/7" }
 * parseTopicPattern("*"); // { kind: "all" }
 * ```
 */
export function parseTopicPattern(text: string): TopicPattern {
  if (typeof text !== "string") {
    throw new SseError(
      "INVALID_TOPIC_PATTERN",
      `topic pattern must be a string (got ${describeValue(text)}); pass a topic, "<topic>/*" or "*"`,
    );
  }
  if (text === "*") return { kind: "all" };
  const isPrefix = text.endsWith("/*");
  const name = isPrefix ? text.slice(0, -2) : text;
  if (name.includes("*")) {
    throw new SseError(
      "INVALID_TOPIC_PATTERN",
      `topic pattern may use "*" only alone ("*") or as its whole last segment ("orders/*") (got ${describeValue(text)}); write e.g. "orders/*" for every topic under orders`,
    );
  }
  const problem = findTopicProblem(name);
  if (problem !== undefined) {
    const subject = isPrefix ? `topic pattern ${describeValue(text)}: the topic before "/*"` : "topic pattern";
    throw new SseError("INVALID_TOPIC_PATTERN", `${subject} ${problem.rule}; ${problem.fix}`);
  }
  return isPrefix ? { kind: "prefix", prefix: name } : { kind: "exact", topic: name };
}

/** Writes a pattern back as text: the inverse of {@link parseTopicPattern}. */
export function formatTopicPattern(pattern: TopicPattern): string {
  switch (pattern.kind) {
    case "exact":
      return pattern.topic;
    case "prefix":
      return `${pattern.prefix}/*`;
    case "all":
      return "*";
  }
}

/**
 * Whether `topic` is one of the topics `pattern` asks for. `topic` is taken as valid (checked
 * where it entered, with {@link assertValidTopic}). A `prefix` pattern matches topics strictly
 * under its prefix: `orders/*` matches `orders/42` and `orders/42/lines`, not `orders`.
 */
export function matchesTopic(pattern: TopicPattern, topic: string): boolean {
  switch (pattern.kind) {
    case "exact":
      return topic === pattern.topic;
    case "prefix":
      return (
        topic.length > pattern.prefix.length + 1 &&
        topic.charCodeAt(pattern.prefix.length) === SLASH &&
        topic.startsWith(pattern.prefix)
      );
    case "all":
      return true;
  }
}

/**
 * Whether `grant` covers `requested` entirely: every topic `requested` can match is matched by
 * `grant` ({@link matchesTopic} semantics). Permission checks call this, so a pattern is allowed
 * only when nothing it could ever deliver lies outside the grant: `orders/*` covers `orders/42`,
 * `orders/42/*` and `orders/*`, but not `orders`, `ordersx/1` or `*`; only `*` covers `*`.
 * @example
 * ```ts
 * patternCovers(parseTopicPattern("users/7/*"), parseTopicPattern("users/7/orders/*")); // true
 * patternCovers(parseTopicPattern("users/7/*"), parseTopicPattern("*")); // false
 * ```
 */
export function patternCovers(grant: TopicPattern, requested: TopicPattern): boolean {
  switch (requested.kind) {
    case "exact":
      return matchesTopic(grant, requested.topic);
    case "prefix":
      // `q/*` asks for exactly the topics strictly under `q`: covered by `*`, by the same
      // prefix, or by a prefix that matches `q` itself (then everything under `q` too).
      return (
        grant.kind === "all" ||
        (grant.kind === "prefix" && (grant.prefix === requested.prefix || matchesTopic(grant, requested.prefix)))
      );
    case "all":
      return grant.kind === "all";
  }
}

/** The most topics one publish may name. */
export const MAX_PUBLISH_TOPICS = 8;

/**
 * The topics of a publish, checked and without duplicates (first occurrence kept):
 * `undefined` is the default topic; otherwise 1 to {@link MAX_PUBLISH_TOPICS} topic names.
 * Every broker calls this, so the rule lives in one place.
 *
 * @throws {SseError} `INVALID_TOPIC` for an empty or too long list or a name that is not a topic
 *   (the message names the offending entry).
 */
export function resolvePublishTopics(topics: readonly string[] | undefined): readonly string[] {
  if (topics === undefined) return DEFAULT_TOPICS;
  if (!Array.isArray(topics) || topics.length === 0 || topics.length > MAX_PUBLISH_TOPICS) {
    throw new SseError(
      "INVALID_TOPIC",
      `a publish names 1 to ${MAX_PUBLISH_TOPICS} topics (got ${Array.isArray(topics) ? `${topics.length}` : describeValue(topics)}); split it into several publishes`,
    );
  }
  if (topics.length === 1) {
    assertValidTopic(topics[0]);
    return topics;
  }
  const unique: string[] = [];
  for (const topic of topics) {
    assertValidTopic(topic);
    if (!unique.includes(topic)) unique.push(topic);
  }
  return unique;
}

/** A subscription's topics: each pattern as written and parsed. */
export interface SubscribedTopic {
  readonly text: string;
  readonly pattern: TopicPattern;
}

/**
 * The patterns of a subscription, parsed and without duplicates (first occurrence kept):
 * `undefined` is the default topic. Every broker calls this, so the rule lives in one place.
 *
 * @throws {SseError} `INVALID_TOPIC_PATTERN` for an empty list or an entry that is neither a
 *   topic nor a pattern (the message names it).
 */
export function resolveSubscribeTopics(topics: readonly string[] | undefined): readonly SubscribedTopic[] {
  if (topics === undefined) return DEFAULT_SUBSCRIPTION;
  if (!Array.isArray(topics) || topics.length === 0) {
    throw new SseError(
      "INVALID_TOPIC_PATTERN",
      `a subscription names at least one topic or pattern (got ${describeValue(topics)}); omit the list for the default topic "${DEFAULT_TOPIC}"`,
    );
  }
  const parsed: SubscribedTopic[] = [];
  for (const text of topics) {
    const pattern = parseTopicPattern(text);
    if (!parsed.some((entry) => entry.text === text)) parsed.push({ text, pattern });
  }
  return parsed;
}

const DEFAULT_TOPICS: readonly string[] = Object.freeze([DEFAULT_TOPIC]);
const DEFAULT_SUBSCRIPTION: readonly SubscribedTopic[] = Object.freeze([
  Object.freeze({ text: DEFAULT_TOPIC, pattern: Object.freeze({ kind: "exact", topic: DEFAULT_TOPIC } as const) }),
]);

/** Pattern lists of frozen (shared) subscriptions, made once: every default-topic stream shares one. */
const SHARED_PATTERNS = new WeakMap<readonly SubscribedTopic[], readonly TopicPattern[]>();

/**
 * The patterns of a subscription, as a {@link TopicIndex} registers them. A frozen subscription
 * (the default one, or one a server shares between its streams) gets one list for all its
 * callers, so an index of many idle streams holds no list per stream.
 */
export function subscriptionPatterns(subscribed: readonly SubscribedTopic[]): readonly TopicPattern[] {
  if (!Object.isFrozen(subscribed)) return subscribed.map((entry) => entry.pattern);
  let patterns = SHARED_PATTERNS.get(subscribed);
  if (patterns === undefined) {
    patterns = Object.freeze(subscribed.map((entry) => entry.pattern));
    SHARED_PATTERNS.set(subscribed, patterns);
  }
  return patterns;
}
