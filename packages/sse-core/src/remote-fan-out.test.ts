import { describe, expect, test } from "vitest";
import type { SubscriberHandlers } from "./broker.ts";
import { RemoteFanOut } from "./remote-fan-out.ts";
import { createStoredEvent } from "./stored-event.ts";
import { resolveSubscribeTopics } from "./topic.ts";
import type { StoredEvent } from "./types.ts";

/** Positions are plain numbers here; the brokers use stream ids and (txid, seq) pairs. */
function numbers(a: number, b: number): number {
  return a - b;
}

function event(position: number, ...topics: string[]): StoredEvent {
  return createStoredEvent(String(position), "message", `data ${position}`, topics.length === 0 ? ["events"] : topics);
}

interface Recorded {
  readonly handlers: SubscriberHandlers;
  /** `<id>@<topic>` per delivered event. */
  readonly received: string[];
  closes: number;
}

function recorder(): Recorded {
  const recorded: Recorded = {
    handlers: {
      onEvent: (delivered, topic) => recorded.received.push(`${delivered.id}@${topic}`),
      onClose: () => {
        recorded.closes += 1;
      },
    },
    received: [],
    closes: 0,
  };
  return recorded;
}

function fanOut(errors: unknown[] = [], recentSize = 100): RemoteFanOut<number> {
  return new RemoteFanOut<number>({ compare: numbers, recentSize, onError: (error) => errors.push(error) });
}

describe("RemoteFanOut", () => {
  test("delivers a live event to the subscribers of its topics only", () => {
    const fan = fanOut();
    const orders = recorder();
    const users = recorder();
    fan.add(orders.handlers, resolveSubscribeTopics(["orders/*"])).goLive({});
    fan.add(users.handlers, resolveSubscribeTopics(["users/7"])).goLive({});
    fan.fanOut(event(1, "orders/42"), 1);
    fan.fanOut(event(2, "users/7"), 2);
    expect(orders.received).toEqual(["1@orders/42"]);
    expect(users.received).toEqual(["2@users/7"]);
  });

  test("delivers an event of several matching topics once, through the first topic it matches", () => {
    const fan = fanOut();
    const both = recorder();
    fan.add(both.handlers, resolveSubscribeTopics(["orders/42", "orders/*", "users/7"])).goLive({});
    fan.fanOut(event(1, "users/7", "orders/42"), 1);
    fan.fanOut(event(2, "orders/42", "users/7"), 2);
    expect(both.received).toEqual(["1@users/7", "2@orders/42"]);
  });

  test("buffers live events during the replay and hands them over in order when it ends", () => {
    const fan = fanOut();
    const late = recorder();
    const subscriber = fan.add(late.handlers, resolveSubscribeTopics(["events"]));
    fan.fanOut(event(5), 5);
    fan.fanOut(event(6), 6);
    expect(late.received).toEqual([]);
    expect(subscriber.replaying).toBe(true);
    expect(subscriber.buffered.map(({ position }) => position)).toEqual([5, 6]);
    const buffered = subscriber.goLive({ after: 5 });
    expect(subscriber.replaying).toBe(false);
    expect(subscriber.buffered).toEqual([]);
    for (const { event: delivered, topic, position } of buffered) subscriber.deliver(delivered, topic, position);
    fan.fanOut(event(7), 7);
    expect(late.received).toEqual(["6@events", "7@events"]);
  });

  test("opens with the replay, then live events, and unsubscribing stops them", () => {
    const fan = fanOut();
    const openings: unknown[] = [];
    const received: string[] = [];
    const handlers: SubscriberHandlers = {
      onOpen: (opening) => openings.push(opening),
      onEvent: (delivered, topic) => received.push(`${delivered.id}@${topic}`),
    };
    const subscriber = fan.add(handlers, resolveSubscribeTopics(["events"]));
    const opening = subscriber.replay("2", undefined, [{ event: event(1), topic: "events" }, { event: event(2), topic: "events" }]);
    expect(opening).toEqual({ cursor: "2", replayed: 2, gap: undefined });
    expect(openings).toEqual([opening]);
    subscriber.goLive({ after: 2 });
    const subscription = fan.subscription(subscriber, opening);
    expect(subscription).toMatchObject({ cursor: "2", replayed: 2, gap: undefined });
    fan.fanOut(event(3), 3);
    subscription.unsubscribe();
    fan.fanOut(event(4), 4);
    expect(received).toEqual(["1@events", "2@events", "3@events"]);
    expect(fan.size).toBe(0);
  });

  test("skips live events at or before the replay's end, then stops comparing once past it", () => {
    const fan = fanOut();
    const live = recorder();
    fan.add(live.handlers, resolveSubscribeTopics(["events"])).goLive({ after: 10 });
    fan.fanOut(event(9), 9);
    fan.fanOut(event(10), 10);
    fan.fanOut(event(11), 11);
    // Past the replay's end: a lower position (a history that restarted) is no longer compared.
    fan.fanOut(event(3), 3);
    expect(live.received).toEqual(["11@events", "3@events"]);
  });

  test("always skips live events before `from`", () => {
    const fan = fanOut();
    const live = recorder();
    fan.add(live.handlers, resolveSubscribeTopics(["events"])).goLive({ from: 20 });
    fan.fanOut(event(19), 19);
    fan.fanOut(event(20), 20);
    fan.fanOut(event(18), 18);
    expect(live.received).toEqual(["20@events"]);
  });

  test("forgetAfter stops skipping up to the replay's end", () => {
    const fan = fanOut();
    const live = recorder();
    fan.add(live.handlers, resolveSubscribeTopics(["events"])).goLive({ after: 10 });
    fan.forgetAfter();
    fan.fanOut(event(2), 2);
    expect(live.received).toEqual(["2@events"]);
  });

  test("a throwing subscriber does not stop delivery to the others, and its error is reported", () => {
    const errors: unknown[] = [];
    const fan = fanOut(errors);
    const broken = new Error("broken handler");
    const throwing: SubscriberHandlers = {
      onEvent: () => {
        throw broken;
      },
    };
    fan.add(throwing, resolveSubscribeTopics(["events"])).goLive({});
    const healthy = recorder();
    fan.add(healthy.handlers, resolveSubscribeTopics(["events"])).goLive({});
    fan.fanOut(event(1), 1);
    expect(healthy.received).toEqual(["1@events"]);
    expect(errors).toEqual([broken]);
  });

  test("endAll closes live subscribers and leaves those still in their replay", () => {
    const errors: unknown[] = [];
    const fan = fanOut(errors);
    const live = recorder();
    const replaying = recorder();
    fan.add(live.handlers, resolveSubscribeTopics(["events"])).goLive({});
    fan.add(replaying.handlers, resolveSubscribeTopics(["events"]));
    const failing = new Error("onClose failed");
    const throwingOnClose: SubscriberHandlers = {
      onEvent: () => undefined,
      onClose: () => {
        throw failing;
      },
    };
    fan.add(throwingOnClose, resolveSubscribeTopics(["events"])).goLive({});
    fan.endAll();
    expect(live.closes).toBe(1);
    expect(replaying.closes).toBe(0);
    expect(errors).toEqual([failing]);
    expect(fan.size).toBe(1);
    fan.fanOut(event(1), 1);
    expect(live.received).toEqual([]);
  });

  test("remove stops delivery and counts the subscriber out", () => {
    const fan = fanOut();
    const gone = recorder();
    const subscriber = fan.add(gone.handlers, resolveSubscribeTopics(["*"]));
    subscriber.goLive({});
    expect(fan.size).toBe(1);
    fan.remove(subscriber);
    fan.remove(subscriber);
    fan.fanOut(event(1, "a/b"), 1);
    expect(fan.size).toBe(0);
    expect(gone.received).toEqual([]);
  });

  test("remembers fanned-out events by id, forgetting the oldest past recentSize", () => {
    const fan = fanOut([], 2);
    const first = event(1);
    fan.fanOut(first, 1);
    fan.fanOut(event(2), 2);
    expect(fan.recent("1")).toBe(first);
    const third = event(3);
    fan.remember(third);
    expect(fan.recent("1")).toBeUndefined();
    expect(fan.recent("3")).toBe(third);
    fan.forgetRecent();
    expect(fan.recent("2")).toBeUndefined();
    expect(fan.recent("3")).toBeUndefined();
  });
});
