import { describe, expect, test } from "vitest";
import { thrown } from "./test-support/errors.ts";
import { DEFAULT_TOPIC, MAX_PUBLISH_TOPICS, parseTopicPattern, resolvePublishTopics, resolveSubscribeTopics, subscriptionPatterns } from "./topic.ts";

const names = (count: number): string[] => Array.from({ length: count }, (_, index) => `t/${index}`);

describe("resolvePublishTopics", () => {
  test("gives the default topic when no topics are given", () => {
    expect(resolvePublishTopics(undefined)).toEqual([DEFAULT_TOPIC]);
  });

  test("keeps 1 to 8 topics in order", () => {
    expect(resolvePublishTopics(["orders/42"])).toEqual(["orders/42"]);
    expect(MAX_PUBLISH_TOPICS).toBe(8);
    expect(resolvePublishTopics(names(8))).toEqual(names(8));
  });

  test("drops duplicates, keeping the first occurrence", () => {
    expect(resolvePublishTopics(["b", "a", "b", "a", "c"])).toEqual(["b", "a", "c"]);
  });

  test("rejects an empty list and a list of 9 with INVALID_TOPIC, naming the count", () => {
    const empty = thrown(() => resolvePublishTopics([]));
    expect(empty.code).toBe("INVALID_TOPIC");
    expect(empty.message).toContain("1 to 8 topics (got 0)");
    const nine = thrown(() => resolvePublishTopics(names(9)));
    expect(nine.code).toBe("INVALID_TOPIC");
    expect(nine.message).toContain("(got 9)");
  });

  test("rejects a pattern, alone or among topics, with INVALID_TOPIC naming it", () => {
    for (const topics of [["orders/*"], ["*"], ["a", "orders/*"]]) {
      const error = thrown(() => resolvePublishTopics(topics));
      expect(error.code).toBe("INVALID_TOPIC");
      expect(error.message).toContain(JSON.stringify(topics.at(-1)));
    }
  });

  test("rejects a name that is not a topic with INVALID_TOPIC", () => {
    for (const topics of [[""], ["a//b"], ["a", "é"], ["a", "b", "c/"]]) {
      expect(thrown(() => resolvePublishTopics(topics)).code).toBe("INVALID_TOPIC");
    }
  });

  test("rejects a value that is not a list", () => {
    expect(thrown(() => resolvePublishTopics("orders/42" as unknown as string[])).code).toBe("INVALID_TOPIC");
  });
});

describe("resolveSubscribeTopics", () => {
  test("gives the default topic when no topics are given", () => {
    expect(resolveSubscribeTopics(undefined)).toEqual([{ text: DEFAULT_TOPIC, pattern: { kind: "exact", topic: DEFAULT_TOPIC } }]);
  });

  test("parses names and patterns, keeping them as written and in order", () => {
    expect(resolveSubscribeTopics(["orders/42", "users/7/*", "*"])).toEqual([
      { text: "orders/42", pattern: { kind: "exact", topic: "orders/42" } },
      { text: "users/7/*", pattern: { kind: "prefix", prefix: "users/7" } },
      { text: "*", pattern: { kind: "all" } },
    ]);
  });

  test("drops duplicates, keeping the first occurrence", () => {
    expect(resolveSubscribeTopics(["a", "b/*", "a", "b/*"]).map((entry) => entry.text)).toEqual(["a", "b/*"]);
  });

  test("takes more than 8 topics (the publish limit does not apply)", () => {
    expect(resolveSubscribeTopics(names(40))).toHaveLength(40);
  });

  test("rejects an empty list with INVALID_TOPIC_PATTERN", () => {
    expect(thrown(() => resolveSubscribeTopics([])).code).toBe("INVALID_TOPIC_PATTERN");
  });

  test("rejects an entry that is neither a topic nor a pattern with INVALID_TOPIC_PATTERN naming it", () => {
    for (const bad of ["a/*/b", "a*", "", "a//b/*", "/*"]) {
      const error = thrown(() => resolveSubscribeTopics(["ok", bad]));
      expect(error.code).toBe("INVALID_TOPIC_PATTERN");
      expect(error.message).toContain(JSON.stringify(bad));
    }
  });
});

describe("subscriptionPatterns", () => {
  test("gives a frozen subscription one shared pattern list, and any other a list of its own", () => {
    const shared = Object.freeze(resolveSubscribeTopics(["orders/*", "users/7"]));
    const first = subscriptionPatterns(shared);
    expect(subscriptionPatterns(shared)).toBe(first);
    expect(first).toEqual([parseTopicPattern("orders/*"), parseTopicPattern("users/7")]);
    expect(Object.isFrozen(first)).toBe(true);
    const own = resolveSubscribeTopics(["orders/*"]);
    expect(subscriptionPatterns(own)).not.toBe(subscriptionPatterns(own));
    expect(subscriptionPatterns(resolveSubscribeTopics(undefined))).toBe(subscriptionPatterns(resolveSubscribeTopics(undefined)));
  });
});
