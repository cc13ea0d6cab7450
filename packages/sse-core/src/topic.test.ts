import { describe, expect, test } from "vitest";
import { thrown } from "./test-support/errors.ts";
import {
  DEFAULT_TOPIC,
  MAX_TOPIC_LENGTH,
  assertValidTopic,
  formatTopicPattern,
  matchesTopic,
  parseTopicPattern,
  patternCovers,
  type TopicPattern,
} from "./topic.ts";

const VALID_TOPICS = [
  "a",
  "events",
  "orders/42",
  "users/7/settings/theme",
  "A-Z_a.z~0:9@x",
  "a.b/..c/d..",
  "...",
  "x".repeat(MAX_TOPIC_LENGTH),
  `${"a/".repeat(99)}b`,
];

const INVALID_TOPICS: ReadonlyArray<readonly [unknown, string]> = [
  ["", "must be 1 to 200 characters long"],
  ["x".repeat(MAX_TOPIC_LENGTH + 1), "201 characters"],
  ["a//b", 'must not have an empty, "." or ".." segment'],
  ["/a", "empty"],
  ["a/", "empty"],
  ["/", "empty"],
  ["a/./b", 'segment "."'],
  [".", 'segment "."'],
  ["..", 'segment ".."'],
  ["a/..", 'segment ".."'],
  ["a b", '" " at index 1'],
  ["a\nb", "must contain only ASCII letters"],
  ["café", '"é" at index 3'],
  ["日本", "must contain only ASCII letters"],
  ["emoji/😀", '"😀" at index 6'],
  ["a%2Fb", '"%" at index 1'],
  ["a?b", '"?"'],
  ["a#b", '"#"'],
  ["a+b", '"+"'],
  ["orders/*", '"*" belongs only in subscription patterns'],
  ["*", '"*" belongs only in subscription patterns'],
  [42, "topic must be a string"],
  [undefined, "topic must be a string"],
];

describe("assertValidTopic", () => {
  test("accepts names of 1 to 200 ASCII letters, digits and -._~:@/ in non-empty segments", () => {
    for (const name of VALID_TOPICS) expect(() => assertValidTopic(name)).not.toThrow();
  });

  test("rejects every other name with INVALID_TOPIC, saying which rule it breaks", () => {
    for (const [name, rule] of INVALID_TOPICS) {
      const error = thrown(() => assertValidTopic(name));
      expect({ name, code: error.code }).toEqual({ name, code: "INVALID_TOPIC" });
      expect(error.message).toContain(rule);
    }
  });

  test("rejects non-ASCII letters: letters means A-Z and a-z", () => {
    for (const name of ["é", "ß", "Ω", "ｆ", "e\u0301"]) expect(thrown(() => assertValidTopic(name)).code).toBe("INVALID_TOPIC");
  });

  test("names the subject, the rule, the offending value and the fix", () => {
    expect(thrown(() => assertValidTopic("a//b")).message).toBe(
      'topic must not have an empty, "." or ".." segment, so no leading, trailing or doubled "/" (got "a//b", segment "" at index 2); write segments of one or more characters between single slashes, e.g. "orders/42"',
    );
    expect(thrown(() => assertValidTopic("a b")).message).toBe(
      'topic must contain only ASCII letters, digits and - . _ ~ : @ / (got "a b", " " at index 1); remove or replace that character',
    );
  });

  test("truncates a long offending value in the message", () => {
    const message = thrown(() => assertValidTopic("y".repeat(5000))).message;
    expect(message).toContain("5000 characters");
    expect(message.length).toBeLessThan(300);
  });

  test("accepts the default topic", () => {
    expect(DEFAULT_TOPIC).toBe("events");
    expect(() => assertValidTopic(DEFAULT_TOPIC)).not.toThrow();
  });
});

describe("parseTopicPattern", () => {
  test("parses a topic as an exact pattern", () => {
    expect(parseTopicPattern("orders/42")).toEqual({ kind: "exact", topic: "orders/42" });
  });

  test("parses a topic followed by /* as a prefix pattern", () => {
    expect(parseTopicPattern("users/7/*")).toEqual({ kind: "prefix", prefix: "users/7" });
    expect(parseTopicPattern(`${"x".repeat(MAX_TOPIC_LENGTH)}/*`)).toEqual({ kind: "prefix", prefix: "x".repeat(MAX_TOPIC_LENGTH) });
  });

  test("parses * alone as every topic", () => {
    expect(parseTopicPattern("*")).toEqual({ kind: "all" });
  });

  test("rejects * anywhere but alone or as the whole last segment", () => {
    for (const text of ["a/*/b", "*/a", "a*", "*a", "a/b*", "a/**", "**", "*/*", "a/*/*"]) {
      const error = thrown(() => parseTopicPattern(text));
      expect({ text, code: error.code }).toEqual({ text, code: "INVALID_TOPIC_PATTERN" });
      expect(error.message).toContain('may use "*" only alone ("*") or as its whole last segment ("orders/*")');
    }
  });

  test("rejects a pattern whose topic part breaks the topic rules, naming the pattern", () => {
    for (const text of ["", "/*", "a//b/*", "/a/*", "a/./*", "../*", "a b/*", "café/*", "a//b", "x".repeat(201), `${"x".repeat(201)}/*`]) {
      expect({ text, code: thrown(() => parseTopicPattern(text)).code }).toEqual({ text, code: "INVALID_TOPIC_PATTERN" });
    }
    expect(thrown(() => parseTopicPattern("a//b/*")).message).toMatch(/^topic pattern "a\/\/b\/\*": the topic before "\/\*" must not have an empty/);
    expect(thrown(() => parseTopicPattern("a b")).message).toMatch(/^topic pattern must contain only ASCII letters/);
  });

  test("rejects a value that is not a string", () => {
    expect(thrown(() => parseTopicPattern(7 as unknown as string)).code).toBe("INVALID_TOPIC_PATTERN");
  });

  test("formatTopicPattern writes back the text it parsed", () => {
    for (const text of ["orders/42", "users/7/*", "*", "a/*"]) expect(formatTopicPattern(parseTopicPattern(text))).toBe(text);
  });
});

describe("matchesTopic", () => {
  const exact: TopicPattern = parseTopicPattern("orders/42");
  const prefix: TopicPattern = parseTopicPattern("orders/*");
  const all: TopicPattern = parseTopicPattern("*");

  test("matches an exact pattern to that topic only", () => {
    expect(matchesTopic(exact, "orders/42")).toBe(true);
    for (const topic of ["orders/4", "orders/421", "orders/42/lines", "orders", "Orders/42"]) expect(matchesTopic(exact, topic)).toBe(false);
  });

  test("matches a prefix pattern to every topic under the prefix at any depth", () => {
    for (const topic of ["orders/42", "orders/42/lines", "orders/a/b/c/d"]) expect(matchesTopic(prefix, topic)).toBe(true);
  });

  test("does not match a prefix pattern to the prefix itself or to a longer first segment", () => {
    for (const topic of ["orders", "ordersx/1", "order/1", "users/orders/1", "x/orders/1"]) expect(matchesTopic(prefix, topic)).toBe(false);
  });

  test("matches * to every topic", () => {
    for (const topic of ["a", "orders/42", "x/y/z"]) expect(matchesTopic(all, topic)).toBe(true);
  });
});

describe("patternCovers", () => {
  const COVERAGE: ReadonlyArray<readonly [grant: string, requested: string, covers: boolean]> = [
    ["*", "*", true],
    ["*", "orders", true],
    ["*", "orders/*", true],
    ["*", "a/b/c/*", true],
    ["orders/*", "orders/42", true],
    ["orders/*", "orders/42/lines", true],
    ["orders/*", "orders/42/*", true],
    ["orders/*", "orders/*", true],
    ["orders/*", "orders", false],
    ["orders/*", "ordersx/1", false],
    ["orders/*", "ordersx/*", false],
    ["orders/*", "order/*", false],
    ["orders/*", "users/orders/1", false],
    ["orders/*", "*", false],
    ["orders/42/*", "orders/*", false],
    ["orders/42/*", "orders/42", false],
    ["orders/42/*", "orders/42/lines", true],
    ["orders/42", "orders/42", true],
    ["orders/42", "orders/42/*", false],
    ["orders/42", "orders/*", false],
    ["orders/42", "orders/421", false],
    ["orders/42", "orders/4", false],
    ["orders/42", "*", false],
    ["orders", "orders/*", false],
    ["orders", "orders/42", false],
  ];

  test("covers a request only when every topic it can match is matched by the grant", () => {
    for (const [grant, requested, covers] of COVERAGE) {
      expect({ grant, requested, covers: patternCovers(parseTopicPattern(grant), parseTopicPattern(requested)) }).toEqual({
        grant,
        requested,
        covers,
      });
    }
  });

  test("agrees with matchesTopic on every sample topic a covered request can match", () => {
    const samples = ["orders", "orders/42", "orders/42/lines", "ordersx/1", "users/7", "a/b/c/d"];
    for (const [grant, requested, covers] of COVERAGE) {
      if (!covers) continue;
      const granted = parseTopicPattern(grant);
      const asked = parseTopicPattern(requested);
      for (const topic of samples) if (matchesTopic(asked, topic)) expect({ grant, topic, ok: matchesTopic(granted, topic) }).toEqual({ grant, topic, ok: true });
    }
  });
});
