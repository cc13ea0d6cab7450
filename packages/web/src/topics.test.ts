import { describe, expect, test } from "vitest";
import { DEFAULT_TOPIC, describeSubscription, eventTopic, parseTopics } from "./topics.ts";

describe("parseTopics", () => {
  test("splits on commas and white space, in order, without blanks or repeats", () => {
    expect(parseTopics(" orders/42, users/7/*\tsupport  ,orders/42,\n*")).toEqual(["orders/42", "users/7/*", "support", "*"]);
  });

  test("reads an empty or blank field as the default topic: no topics at all", () => {
    expect(parseTopics("")).toEqual([]);
    expect(parseTopics(" ,  , ")).toEqual([]);
  });

  test("keeps what the server must judge as typed", () => {
    expect(parseTopics("a//b <b>")).toEqual(["a//b", "<b>"]);
  });
});

describe("eventTopic", () => {
  test("knows the topic of a stream that follows one topic by name, or the default topic", () => {
    expect(eventTopic([])).toBe(DEFAULT_TOPIC);
    expect(eventTopic(["orders/42"])).toBe("orders/42");
  });

  test("cannot know it for several topics or a pattern (EventSource hides the topic: field)", () => {
    expect(eventTopic(["a", "b"])).toBeUndefined();
    expect(eventTopic(["orders/*"])).toBeUndefined();
    expect(eventTopic(["*"])).toBeUndefined();
  });
});

describe("describeSubscription", () => {
  test("lists the topics, or names the default topic", () => {
    expect(describeSubscription([])).toBe("events");
    expect(describeSubscription(["a", "b/*"])).toBe("a, b/*");
  });
});
