import { describe, expect, test } from "vitest";
import { rejectionCode } from "./test-support/errors.ts";
import type { GapNotice, Subscription, SubscriptionOpening } from "./broker.ts";
import { SseError } from "./errors.ts";
import { formatEventId, parseEventId } from "./event-id.ts";
import { MemoryBroker } from "./memory-broker.ts";
import { DEFAULT_MEMORY_BROKER_OPTIONS, type MemoryBrokerOptions } from "./memory-broker-options.ts";
import { createRandom } from "./test-support/feed.ts";
import type { StoredEvent } from "./types.ts";

const EPOCH = 1_764_000_000_000;

interface Recorder {
  events: StoredEvent[];
  gaps: GapNotice[];
  closed: number;
  order: string[];
}

function recorder(): Recorder & { onEvent(event: StoredEvent): void; onOpen(opening: SubscriptionOpening): void; onClose(): void } {
  const record: Recorder = { events: [], gaps: [], closed: 0, order: [] };
  return Object.assign(record, {
    onEvent: (event: StoredEvent): void => {
      record.events.push(event);
      record.order.push(event.id);
    },
    onOpen: ({ gap }: SubscriptionOpening): void => {
      if (gap === undefined) return;
      record.gaps.push(gap);
      record.order.push(`gap:${gap.reason}`);
    },
    onClose: (): void => {
      record.closed += 1;
    },
  });
}

async function brokerWith(count: number, options: MemoryBrokerOptions = {}): Promise<MemoryBroker> {
  const broker = new MemoryBroker({ epoch: EPOCH, ...options });
  for (let index = 1; index <= count; index++) await broker.publish({ data: `m${index}` });
  return broker;
}

function id(sequence: number): string {
  return formatEventId(EPOCH, sequence);
}

describe("MemoryBroker publish", () => {
  test("gives strictly increasing ids made of the epoch and a sequence", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const first = await broker.publish({ data: "a" });
    const second = await broker.publish({ data: "b" });
    expect(first.id).toBe(id(1));
    expect(second.id).toBe(id(2));
    expect(broker.origin).toBe(id(0));
  });

  test("writes every id exactly as formatEventId does, for any epoch", async () => {
    for (const epoch of [0, 1, 35, 36, EPOCH, Number.MAX_SAFE_INTEGER]) {
      const broker = new MemoryBroker({ epoch });
      for (let sequence = 1; sequence <= 12; sequence++) {
        expect((await broker.publish({ data: "x" })).id).toBe(formatEventId(epoch, sequence));
      }
    }
  });

  test("uses Date.now() as the epoch by default, so a restarted broker's ids differ", async () => {
    const before = Date.now();
    const broker = new MemoryBroker();
    expect(broker.epoch).toBeGreaterThanOrEqual(before);
    expect(broker.epoch).toBeLessThanOrEqual(Date.now());
    const stored = await broker.publish({ data: "x" });
    expect(parseEventId(stored.id)).toEqual({ epoch: broker.epoch, sequence: 1 });
  });

  test("stores the encoded frame, leaving out the event line for message events", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const message = await broker.publish({ data: "a\nb" });
    const custom = await broker.publish({ event: "update", data: "c" });
    const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
    expect(message.event).toBe("message");
    expect(decode(message.frame)).toBe(`id: ${id(1)}\ndata: a\ndata: b\n\n`);
    expect(decode(custom.frame)).toBe(`id: ${id(2)}\nevent: update\ndata: c\n\n`);
  });

  test("hands every subscriber the same frame bytes", async () => {
    const broker = new MemoryBroker();
    const first = recorder();
    const second = recorder();
    await broker.subscribe(first);
    await broker.subscribe(second);
    await broker.publish({ data: "shared" });
    expect(first.events[0]?.frame).toBe(second.events[0]?.frame);
  });

  test("stores at once with publishSync, in the same sequence as publish", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const live = recorder();
    await broker.subscribe(live);
    const first = broker.publishSync({ data: "a" });
    expect(first.id).toBe(id(1));
    expect(live.events.map((event) => event.id)).toEqual([id(1)]);
    expect((await broker.publish({ data: "b" })).id).toBe(id(2));
    expect(broker.publishSync({ event: "tick", data: "c" })).toMatchObject({ id: id(3), event: "tick", data: "c" });
    expect(() => broker.publishSync({ event: "a\rb", data: "" })).toThrow(SseError);
    expect(broker.historyLength).toBe(3);
    await broker.close();
    expect(() => broker.publishSync({ data: "late" })).toThrow("the broker is closed");
  });

  test("rejects an event name with a line break and does not use up an id", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    expect(await rejectionCode(broker.publish({ event: "a\nb", data: "" }))).toBe("INVALID_EVENT_NAME");
    expect((await broker.publish({ data: "ok" })).id).toBe(id(1));
  });

  test("keeps delivering to the others when one subscriber's handler throws", async () => {
    const errors: unknown[] = [];
    const broker = new MemoryBroker({ onSubscriberError: (error) => errors.push(error) });
    const before = recorder();
    const after = recorder();
    await broker.subscribe(before);
    await broker.subscribe({
      onEvent: () => {
        throw new Error("broken subscriber");
      },
    });
    await broker.subscribe(after);
    await broker.publish({ data: "1" });
    await broker.publish({ data: "2" });
    expect(before.events.map((event) => event.data)).toEqual(["1", "2"]);
    expect(after.events.map((event) => event.data)).toEqual(["1", "2"]);
    expect(errors.length).toBe(2);
  });
});

describe("MemoryBroker options", () => {
  test("defaults to 1000 events per topic, 8 MiB of history, no age limit and 10,000 retained topics", () => {
    expect(DEFAULT_MEMORY_BROKER_OPTIONS).toEqual({
      historySize: 1000,
      historyBytes: 8 * 1024 * 1024,
      historyTtlMs: false,
      maxRetainedTopics: 10_000,
    });
  });

  test("rejects sizes that are zero, negative or not integers, and a bad epoch, with INVALID_OPTION", () => {
    const bad: MemoryBrokerOptions[] = [
      { historySize: 0 },
      { historySize: -5 },
      { historySize: 2.5 },
      { historyBytes: 0 },
      { historyBytes: Number.POSITIVE_INFINITY },
      { epoch: -1 },
      { epoch: 1.5 },
    ];
    for (const options of bad) {
      let error: unknown;
      try {
        new MemoryBroker(options);
      } catch (caught) {
        error = caught;
      }
      expect({ options, code: error instanceof SseError ? error.code : undefined }).toEqual({ options, code: "INVALID_OPTION" });
    }
  });

  test("names the option and the value in the message", () => {
    expect(() => new MemoryBroker({ historySize: 0 })).toThrow("MemoryBroker historySize must be a positive integer (got 0)");
  });

  test("bounds history by count", async () => {
    const broker = await brokerWith(10, { historySize: 3 });
    expect(broker.historyLength).toBe(3);
    const subscriber = recorder();
    await broker.subscribe(subscriber, { lastEventId: id(7) });
    expect(subscriber.events.map((event) => event.id)).toEqual([id(8), id(9), id(10)]);
  });

  test("bounds history by bytes", async () => {
    // Each frame is `id: <12 chars>\ndata: mN\n\n`: about 30 bytes, so 100 bytes hold 3.
    const broker = await brokerWith(10, { historyBytes: 100 });
    expect(broker.historyLength).toBe(3);
  });
});

describe("MemoryBroker subscribe", () => {
  test("starts fresh subscribers at the newest id, with no replay", async () => {
    const broker = await brokerWith(3);
    const subscriber = recorder();
    const subscription = await broker.subscribe(subscriber);
    expect(subscription.cursor).toBe(id(3));
    expect(subscription.replayed).toBe(0);
    expect(subscription.gap).toBeUndefined();
    await broker.publish({ data: "live" });
    expect(subscriber.events.map((event) => event.id)).toEqual([id(4)]);
  });

  test("starts fresh subscribers of an empty broker at the origin id", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    expect((await broker.subscribe(recorder())).cursor).toBe(id(0));
  });

  test("treats an empty last event id as none", async () => {
    const broker = await brokerWith(2);
    const subscription = await broker.subscribe(recorder(), { lastEventId: "" });
    expect(subscription.gap).toBeUndefined();
    expect(subscription.cursor).toBe(id(2));
  });

  test("replays exactly the events after the last event id, then live ones", async () => {
    const broker = await brokerWith(5);
    const subscriber = recorder();
    const subscription = await broker.subscribe(subscriber, { lastEventId: id(2) });
    expect(subscription.cursor).toBe(id(2));
    expect(subscription.replayed).toBe(3);
    await broker.publish({ data: "m6" });
    expect(subscriber.events.map((event) => event.data)).toEqual(["m3", "m4", "m5", "m6"]);
    expect(subscriber.gaps).toEqual([]);
  });

  test("replays nothing when resuming from the newest id", async () => {
    const broker = await brokerWith(5);
    const subscriber = recorder();
    const subscription = await broker.subscribe(subscriber, { lastEventId: id(5) });
    expect(subscription.replayed).toBe(0);
    expect(subscription.gap).toBeUndefined();
  });

  test("replays everything without a gap when resuming from the origin of an untrimmed history", async () => {
    const broker = await brokerWith(3);
    const subscriber = recorder();
    const subscription = await broker.subscribe(subscriber, { lastEventId: id(0) });
    expect(subscription.gap).toBeUndefined();
    expect(subscriber.events.map((event) => event.id)).toEqual([id(1), id(2), id(3)]);
  });

  test("resumes with no gap from the id just before the oldest held event", async () => {
    const broker = await brokerWith(10, { historySize: 4 });
    const subscriber = recorder();
    const subscription = await broker.subscribe(subscriber, { lastEventId: id(6) });
    expect(subscription.gap).toBeUndefined();
    expect(subscriber.events.map((event) => event.id)).toEqual([id(7), id(8), id(9), id(10)]);
  });

  test("rejects and does not register a subscriber whose handler throws during replay", async () => {
    const broker = await brokerWith(2);
    const failure = new Error("cannot take replay");
    let caught: unknown;
    await broker
      .subscribe(
        {
          onEvent: () => {
            throw failure;
          },
        },
        { lastEventId: id(0) },
      )
      .catch((error: unknown) => {
        caught = error;
      });
    expect(caught).toBe(failure);
    expect(broker.subscriberCount).toBe(0);
  });

  test("unsubscribe stops delivery, is idempotent and lowers the count", async () => {
    const broker = new MemoryBroker();
    const subscriber = recorder();
    const subscription = await broker.subscribe(subscriber);
    await broker.subscribe(recorder());
    expect(broker.subscriberCount).toBe(2);
    subscription.unsubscribe();
    subscription.unsubscribe();
    expect(broker.subscriberCount).toBe(1);
    await broker.publish({ data: "x" });
    expect(subscriber.events).toEqual([]);
  });
});

describe("MemoryBroker gaps", () => {
  const cases: Array<{ name: string; lastEventId: string; reason: GapNotice["reason"] }> = [
    { name: "a trimmed id", lastEventId: id(2), reason: "too-old" },
    { name: "an id of another epoch", lastEventId: formatEventId(EPOCH - 1, 9), reason: "other-epoch" },
    { name: "an id newer than anything published", lastEventId: id(99), reason: "unknown" },
    { name: "a malformed id", lastEventId: "not-an-id", reason: "malformed" },
  ];
  for (const { name, lastEventId, reason } of cases) {
    test(`sends a gap notice and then everything held for ${name}`, async () => {
      const broker = await brokerWith(10, { historySize: 4 });
      const subscriber = recorder();
      const subscription = await broker.subscribe(subscriber, { lastEventId });
      const gap = { requestedId: lastEventId, oldestId: id(7), reason, topics: ["events"] };
      expect(subscription.gap).toEqual(gap);
      expect(subscription.cursor).toBe(broker.origin);
      expect(subscription.replayed).toBe(4);
      expect(subscriber.order).toEqual([`gap:${reason}`, id(7), id(8), id(9), id(10)]);
    });
  }

  test("reports no oldest id when history is empty", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const subscriber = recorder();
    const subscription = await broker.subscribe(subscriber, { lastEventId: formatEventId(EPOCH - 1000, 5) });
    expect(subscription.gap).toEqual({
      requestedId: formatEventId(EPOCH - 1000, 5),
      oldestId: undefined,
      reason: "other-epoch",
      topics: ["events"],
    });
    expect(subscriber.events).toEqual([]);
  });

  test("reports an id trimmed by the byte bound as too old", async () => {
    const broker = await brokerWith(10, { historyBytes: 100 });
    const subscription = await broker.subscribe(recorder(), { lastEventId: id(1) });
    expect(subscription.gap?.reason).toBe("too-old");
    expect(subscription.gap?.oldestId).toBe(id(8));
  });
});

describe("MemoryBroker races", () => {
  test("delivers every event after the cursor exactly once while publishes race subscribes", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH, historySize: 10_000 });
    const random = createRandom(7);
    const subscribers: Array<{ subscription: Subscription; record: Recorder; from: number }> = [];
    const total = 400;
    let publishedSoFar = 0;
    const publisher = (async (): Promise<void> => {
      for (let index = 1; index <= total; index++) {
        const pending = broker.publish({ data: `m${index}` });
        publishedSoFar = index;
        if (random() < 0.5) await pending;
        if (random() < 0.2) await new Promise((resolve) => setTimeout(resolve, 0));
      }
    })();
    const subscribing = (async (): Promise<void> => {
      for (let index = 0; index < 60; index++) {
        const record = recorder();
        // Resume from a random point already published, or connect fresh.
        const from = random() < 0.3 ? undefined : Math.floor(random() * (publishedSoFar + 1));
        const pending = broker.subscribe(record, from === undefined ? {} : { lastEventId: id(from) });
        const subscription = await pending;
        subscribers.push({ subscription, record, from: parseEventId(subscription.cursor)?.sequence ?? -1 });
        if (random() < 0.5) await new Promise((resolve) => setTimeout(resolve, 0));
      }
    })();
    await Promise.all([publisher, subscribing]);
    for (const { subscription, record, from } of subscribers) {
      expect(subscription.gap).toBeUndefined();
      const expected = Array.from({ length: total - from }, (_, index) => id(from + 1 + index));
      expect(record.events.map((event) => event.id)).toEqual(expected);
    }
    expect(subscribers.length).toBe(60);
  });

  test("keeps order when a handler publishes while its replay is delivered", async () => {
    const broker = await brokerWith(3);
    const seen: string[] = [];
    let published = false;
    await broker.subscribe(
      {
        onEvent: (event) => {
          seen.push(event.data);
          if (!published) {
            published = true;
            void broker.publish({ data: "during-replay" });
          }
        },
      },
      { lastEventId: id(0) },
    );
    await broker.publish({ data: "after" });
    expect(seen).toEqual(["m1", "m2", "m3", "during-replay", "after"]);
  });

  test("does not deliver twice to a subscriber registered by a handler during fan-out", async () => {
    const broker = await brokerWith(1);
    const late = recorder();
    let subscribed = false;
    await broker.subscribe({
      onEvent: () => {
        if (subscribed) return;
        subscribed = true;
        void broker.subscribe(late, { lastEventId: id(1) });
      },
    });
    await broker.publish({ data: "m2" });
    await broker.publish({ data: "m3" });
    expect(late.events.map((event) => event.data)).toEqual(["m2", "m3"]);
  });
});

describe("MemoryBroker close and health", () => {
  test("ends every subscription, then rejects publishes and subscribes with BROKER_CLOSED", async () => {
    const broker = await brokerWith(2);
    const first = recorder();
    const second = recorder();
    await broker.subscribe(first);
    await broker.subscribe(second);
    await broker.close();
    await broker.close();
    expect([first.closed, second.closed]).toEqual([1, 1]);
    expect(broker.subscriberCount).toBe(0);
    expect(await rejectionCode(broker.publish({ data: "late" }))).toBe("BROKER_CLOSED");
    expect(await rejectionCode(broker.subscribe(recorder()))).toBe("BROKER_CLOSED");
  });

  test("reports health with the history size, and not ok once closed", async () => {
    const broker = await brokerWith(2);
    const health = broker.health();
    expect(health.ok).toBe(true);
    expect(health.detail).toContain("memory: 2 events");
    await broker.close();
    expect(broker.health()).toEqual({ ok: false, detail: "memory: closed" });
  });
});
