import { describe, expect, test } from "vitest";
import { TopicIndex } from "./topic-index.ts";
import { matchesTopic, parseTopicPattern } from "./topic.ts";

function patterns(...texts: string[]) {
  return texts.map(parseTopicPattern);
}

function sorted(entries: string[]): string[] {
  return [...entries].sort();
}

describe("TopicIndex", () => {
  test("matches entries by exact topic, prefix at any depth and *", () => {
    const index = new TopicIndex<string>();
    index.add("order-42", patterns("orders/42"));
    index.add("all-orders", patterns("orders/*"));
    index.add("deep", patterns("orders/42/lines/*"));
    index.add("everything", patterns("*"));
    index.add("user-7", patterns("users/7"));

    expect(sorted(index.match("orders/42"))).toEqual(["all-orders", "everything", "order-42"]);
    expect(sorted(index.match("orders/42/lines/3"))).toEqual(["all-orders", "deep", "everything"]);
    expect(sorted(index.match("orders/42/lines"))).toEqual(["all-orders", "everything"]);
    expect(sorted(index.match("orders"))).toEqual(["everything"]);
    expect(sorted(index.match("users/7"))).toEqual(["everything", "user-7"]);
    expect(sorted(index.match("users/8"))).toEqual(["everything"]);
  });

  test("counts the entries a walk would visit, with exact patterns only and with patterns", () => {
    const index = new TopicIndex<string>();
    index.add("a", patterns("orders/42"));
    index.add("b", patterns("orders/42", "orders/7"));
    expect(index.countMatches("orders/42")).toBe(2);
    expect(index.countMatches("orders/7")).toBe(1);
    expect(index.countMatches("orders/8")).toBe(0);
    index.add("c", patterns("orders/*", "orders/42"));
    index.add("d", patterns("*"));
    expect(index.countMatches("orders/42")).toBe(4);
    expect(index.countMatches("orders/8")).toBe(2);
    expect(index.countMatches("users/1")).toBe(1);
    for (const topic of ["orders/42", "orders/8", "users/1"]) expect(index.countMatches(topic)).toBe(index.match(topic).length);
  });

  test("visits an entry once when several of its patterns match", () => {
    const index = new TopicIndex<string>();
    index.add("client", patterns("orders/42", "orders/*", "orders/42/*", "*", "orders/42"));
    index.add("other", patterns("orders/*", "*"));
    const visits: string[] = [];
    index.forEachMatch("orders/42", (entry) => visits.push(entry));
    expect(sorted(visits)).toEqual(["client", "other"]);
    visits.length = 0;
    index.forEachMatch("orders/42/lines", (entry) => visits.push(entry));
    expect(sorted(visits)).toEqual(["client", "other"]);
  });

  test("visits every match again on the next call", () => {
    const index = new TopicIndex<string>();
    index.add("client", patterns("a", "*"));
    expect(index.match("a")).toEqual(["client"]);
    expect(index.match("a")).toEqual(["client"]);
  });

  test("dedupes a call made from inside visit without disturbing the outer call", () => {
    const index = new TopicIndex<string>();
    index.add("first", patterns("a", "*"));
    index.add("second", patterns("a", "*"));
    const outer: string[] = [];
    const inner: string[][] = [];
    index.forEachMatch("a", (entry) => {
      outer.push(entry);
      inner.push(sorted(index.match("a")));
    });
    expect(sorted(outer)).toEqual(["first", "second"]);
    expect(inner).toEqual([["first", "second"], ["first", "second"]]);
  });

  test("stops visiting an entry once it is removed", () => {
    const index = new TopicIndex<string>();
    index.add("a", patterns("t", "p/*", "*"));
    index.add("b", patterns("t"));
    expect(index.size).toBe(2);
    index.remove("a");
    expect(index.size).toBe(1);
    expect(index.has("a")).toBe(false);
    expect(index.match("t")).toEqual(["b"]);
    expect(index.match("p/1")).toEqual([]);
    index.remove("a");
    index.remove("never-added");
    expect(index.size).toBe(1);
  });

  test("does not visit an entry removed by visit before its turn", () => {
    const index = new TopicIndex<string>();
    index.add("a", patterns("t"));
    index.add("b", patterns("t"));
    const visits: string[] = [];
    index.forEachMatch("t", (entry) => {
      visits.push(entry);
      index.remove(entry === "a" ? "b" : "a");
    });
    expect(visits.length).toBe(1);
  });

  test("does not visit an entry removed by visit before its turn when patterns make it walk", () => {
    const index = new TopicIndex<string>();
    index.add("a", patterns("t/1"));
    index.add("b", patterns("t/1", "t/*"));
    index.add("c", patterns("*"));
    const visits: string[] = [];
    index.forEachMatch("t/1", (entry) => {
      visits.push(entry);
      if (entry === "c") index.remove("a");
    });
    // "*" entries are walked first, then the exact topic's, then the prefixes': "a" is gone by then, "b" comes once.
    expect(visits).toEqual(["c", "b"]);
    expect(index.match("t/1").sort()).toEqual(["b", "c"]);
  });

  test("replaces an entry's patterns when it is added again", () => {
    const index = new TopicIndex<string>();
    index.add("client", patterns("a", "b/*"));
    index.add("client", patterns("c"));
    expect(index.size).toBe(1);
    expect(index.match("a")).toEqual([]);
    expect(index.match("b/1")).toEqual([]);
    expect(index.match("c")).toEqual(["client"]);
  });

  test("keeps other entries' prefix patterns when one sharing part of the path is removed", () => {
    const index = new TopicIndex<string>();
    index.add("deep", patterns("a/b/c/*"));
    index.add("shallow", patterns("a/*"));
    index.remove("deep");
    expect(index.match("a/b/c/d")).toEqual(["shallow"]);
    index.add("deep", patterns("a/b/c/*"));
    index.remove("shallow");
    expect(index.match("a/b/c/d")).toEqual(["deep"]);
    expect(index.match("a/b")).toEqual([]);
  });

  test("registers an entry with no pattern that matches nothing", () => {
    const index = new TopicIndex<string>();
    index.add("idle", []);
    expect(index.size).toBe(1);
    expect(index.match("a")).toEqual([]);
  });

  test("agrees with matchesTopic on every pattern and topic pair", () => {
    const texts = ["a", "a/b", "a/b/c", "a/*", "a/b/*", "b/*", "*", "ab/*", "a/bc"];
    const topics = ["a", "b", "ab", "a/b", "a/bc", "a/b/c", "a/b/c/d", "ab/c", "b/a", "c"];
    const index = new TopicIndex<string>();
    for (const text of texts) index.add(text, patterns(text));
    for (const topic of topics) {
      const expected = texts.filter((text) => matchesTopic(parseTopicPattern(text), topic));
      expect({ topic, matched: sorted(index.match(topic)) }).toEqual({ topic, matched: sorted(expected) });
    }
  });

  test("visits only the matching entry of a topic with 10,000 entries on other topics", () => {
    const index = new TopicIndex<number>();
    for (let client = 0; client < 10_000; client++) {
      index.add(client, patterns(`rooms/${client}`, `users/${client}/*`, `orders/${client % 100}`));
    }
    index.add(-1, patterns("orders/42/lines/7"));
    let visits = 0;
    index.forEachMatch("orders/42/lines/7", () => visits++);
    expect(visits).toBe(1);
    visits = 0;
    index.forEachMatch("rooms/123", () => visits++);
    expect(visits).toBe(1);
    visits = 0;
    index.forEachMatch("users/9999/inbox/1", () => visits++);
    expect(visits).toBe(1);
    visits = 0;
    index.forEachMatch("nobody/here", () => visits++);
    expect(visits).toBe(0);
  });
});
