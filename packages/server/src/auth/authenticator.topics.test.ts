import { describe, expect, test } from "vitest";
import { SseError, parseTopicPattern, resolveSubscribeTopics } from "@events/sse-core";
import { TEST_SECRET, refusalOf } from "../test-support/auth-tokens.ts";
import { createAuthenticator } from "./authenticator.ts";
import type { Grant } from "./types.ts";

const auth = createAuthenticator({ jwtSecret: TEST_SECRET, publicTopics: ["news/*"] });

const user7: Grant = { subscribe: ["orders/42", "users/7/*", "news/*"], publish: ["orders/*"], source: "bearer" };
const anonymous: Grant = { subscribe: ["news/*"], publish: [], source: "anonymous" };

function subscribe(grant: Grant, ...topics: string[]): () => void {
  return () => auth.assertSubscribe(grant, resolveSubscribeTopics(topics));
}

describe("Authenticator.assertSubscribe", () => {
  test("allows topics and patterns the grant covers entirely", () => {
    for (const topics of [["orders/42"], ["users/7/orders"], ["users/7/*"], ["users/7/orders/*"], ["news/today", "orders/42"]]) {
      expect(subscribe(user7, ...topics)).not.toThrow();
    }
  });

  test("refuses escalation through * and overlapping patterns with 403 FORBIDDEN_TOPIC naming the topic", async () => {
    for (const topic of ["*", "users/*", "users/8/*", "users/7", "orders/*", "orders/42/*", "orders/421", "users/77/x"]) {
      const refusal = await refusalOf(subscribe(user7, "orders/42", topic));
      expect({ topic, status: refusal.status, code: refusal.code, message: refusal.message }).toEqual({
        topic,
        status: 403,
        code: "FORBIDDEN_TOPIC",
        message: `this token may not subscribe to "${topic}" (it may: "orders/42", "users/7/*", "news/*")`,
      });
    }
  });

  test("cannot be tricked by .. segments: such a pattern never parses", () => {
    for (const text of ["users/7/../8", "users/7/../*", "users/7/./x", "users//7", "../users/8/*"]) {
      let code: string | undefined;
      try {
        parseTopicPattern(text);
      } catch (error) {
        if (error instanceof SseError) code = error.code;
      }
      expect({ text, code }).toEqual({ text, code: "INVALID_TOPIC_PATTERN" });
    }
  });

  test("answers an anonymous request for a non-public topic with 401 and the Bearer challenge", async () => {
    expect(subscribe(anonymous, "news/today", "news/*")).not.toThrow();
    const refusal = await refusalOf(subscribe(anonymous, "news/today", "orders/42"));
    expect(refusal).toEqual({
      status: 401,
      code: "UNAUTHORIZED",
      challenge: 'Bearer realm="events"',
      message: 'a token is needed to subscribe to "orders/42" (without one: "news/*")',
      headers: { "www-authenticate": 'Bearer realm="events"' },
    });
    const closed = await refusalOf(() => auth.assertSubscribe({ subscribe: [], publish: [], source: "anonymous" }, resolveSubscribeTopics(["a"])));
    expect(closed.message).toBe('a token is needed to subscribe to "a" (no topic is public here)');
  });

  test("keeps the list of allowed patterns short", async () => {
    const many: Grant = { subscribe: Array.from({ length: 9 }, (_, i) => `t/${i}`), publish: [], source: "cookie" };
    const refusal = await refusalOf(subscribe(many, "x"));
    expect(refusal.message).toBe('this token may not subscribe to "x" (it may: "t/0", "t/1", "t/2", "t/3", "t/4" and 4 more)');
  });

  test("names the holder: the trigger token and the authorize hook", async () => {
    expect((await refusalOf(subscribe({ subscribe: [], publish: ["*"], source: "trigger-token" }, "a"))).message).toBe(
      'the trigger token may not subscribe to "a" (it may: nothing)',
    );
    expect((await refusalOf(subscribe({ subscribe: ["b"], publish: [], source: "authorize" }, "a"))).message).toBe(
      'this request may not subscribe to "a" (it may: "b")',
    );
  });
});

describe("Authenticator.assertPublish", () => {
  test("allows topics under the grant's publish patterns", () => {
    expect(() => auth.assertPublish(user7, ["orders/42", "orders/1/lines"])).not.toThrow();
    expect(() => auth.assertPublish({ subscribe: [], publish: ["*"], source: "trigger-token" }, ["anything/at/all"])).not.toThrow();
  });

  test("refuses a topic outside them with 403, the prefix itself included", async () => {
    for (const topic of ["orders", "ordersx/1", "users/7/x"]) {
      const refusal = await refusalOf(() => auth.assertPublish(user7, ["orders/1", topic]));
      expect({ topic, status: refusal.status, message: refusal.message }).toEqual({
        topic,
        status: 403,
        message: `this token may not publish to "${topic}" (it may: "orders/*")`,
      });
    }
  });

  test("never lets a subscribe permission publish, and answers anonymous publishes with 401", async () => {
    expect((await refusalOf(() => auth.assertPublish(user7, ["users/7/x"]))).code).toBe("FORBIDDEN_TOPIC");
    const refusal = await refusalOf(() => auth.assertPublish(anonymous, ["news/today"]));
    expect({ status: refusal.status, code: refusal.code, message: refusal.message }).toEqual({
      status: 401,
      code: "UNAUTHORIZED",
      message: 'a token is needed to publish to "news/today"',
    });
  });
});
