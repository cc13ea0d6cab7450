import { describe, expect, test } from "vitest";
import { DEFAULT_IDEMPOTENCY_OPTIONS } from "./idempotency-keys.ts";
import { MemoryBroker } from "./memory-broker.ts";
import type { MemoryBrokerOptions } from "./memory-broker-options.ts";
import type { StoredEvent } from "./types.ts";

const EPOCH = 1_764_000_000_000;

/** A broker on a manual clock, with a subscriber recording what it is delivered. */
async function brokerOnClock(options: MemoryBrokerOptions = {}): Promise<{
  broker: MemoryBroker;
  delivered: StoredEvent[];
  advance(ms: number): void;
}> {
  let now = EPOCH;
  const broker = new MemoryBroker({ epoch: EPOCH, clock: () => now, ...options });
  const delivered: StoredEvent[] = [];
  await broker.subscribe({ onEvent: (event) => delivered.push(event) });
  return {
    broker,
    delivered,
    advance: (ms) => {
      now += ms;
    },
  };
}

describe("MemoryBroker idempotency keys", () => {
  test("remembers keys for 10 minutes and at most 100,000 of them by default", () => {
    expect(DEFAULT_IDEMPOTENCY_OPTIONS).toEqual({ idempotencyWindowMs: 600_000, maxIdempotencyKeys: 100_000 });
  });

  test("stores and delivers nothing for a repeated key, and answers the first event", async () => {
    const { broker, delivered } = await brokerOnClock();
    const first = broker.publishSync({ data: "a", idempotencyKey: "k" });
    const again = broker.publishSync({ data: "a", idempotencyKey: "k" });
    const viaPromise = await broker.publish({ data: "a", idempotencyKey: "k" });
    expect(again).toBe(first);
    expect(viaPromise).toBe(first);
    expect(broker.historyLength).toBe(1);
    expect(delivered.map((event) => event.id)).toEqual([first.id]);
  });

  test("stores one event per distinct key, and every publish without a key", async () => {
    const { broker } = await brokerOnClock();
    const a = broker.publishSync({ data: "x", idempotencyKey: "a" });
    const b = broker.publishSync({ data: "x", idempotencyKey: "b" });
    broker.publishSync({ data: "x" });
    broker.publishSync({ data: "x" });
    expect(a.id).not.toBe(b.id);
    expect(broker.historyLength).toBe(4);
  });

  test("forgets a key once the window has passed, then stores again", async () => {
    const { broker, advance } = await brokerOnClock({ idempotencyWindowMs: 1000 });
    const first = broker.publishSync({ data: "a", idempotencyKey: "k" });
    advance(999);
    expect(broker.publishSync({ data: "a", idempotencyKey: "k" }).id).toBe(first.id);
    advance(1);
    const second = broker.publishSync({ data: "a", idempotencyKey: "k" });
    expect(second.id).not.toBe(first.id);
    expect(broker.historyLength).toBe(2);
    // The window starts again from the publish that stored.
    advance(999);
    expect(broker.publishSync({ data: "a", idempotencyKey: "k" }).id).toBe(second.id);
  });

  test("forgets the oldest key past maxIdempotencyKeys", async () => {
    const { broker } = await brokerOnClock({ maxIdempotencyKeys: 2 });
    const a = broker.publishSync({ data: "a", idempotencyKey: "a" });
    const b = broker.publishSync({ data: "b", idempotencyKey: "b" });
    broker.publishSync({ data: "c", idempotencyKey: "c" });
    expect(broker.publishSync({ data: "b", idempotencyKey: "b" }).id).toBe(b.id);
    expect(broker.publishSync({ data: "a", idempotencyKey: "a" }).id).not.toBe(a.id);
    expect(broker.historyLength).toBe(4);
  });

  test("answers the first event's id after history dropped it, with this publish's payload", async () => {
    const { broker } = await brokerOnClock({ historySize: 2 });
    const first = broker.publishSync({ event: "note", data: "first", idempotencyKey: "k" });
    broker.publishSync({ data: "x" });
    broker.publishSync({ data: "y" });
    const again = broker.publishSync({ event: "note", data: "first", idempotencyKey: "k" });
    expect(again).toMatchObject({ id: first.id, event: "note", data: "first" });
    expect(new TextDecoder().decode(again.frame)).toBe(`id: ${first.id}\nevent: note\ndata: first\n\n`);
    expect(broker.historyLength).toBe(2);
  });

  test("does not remember a key whose publish was refused", async () => {
    const { broker } = await brokerOnClock();
    expect(() => broker.publishSync({ event: "a\nb", data: "x", idempotencyKey: "k" })).toThrow("event name must not contain CR or LF");
    const stored = broker.publishSync({ data: "x", idempotencyKey: "k" });
    expect(broker.historyLength).toBe(1);
    expect(stored.data).toBe("x");
  });

  test("refuses bounds that are not positive integers, naming the option", () => {
    expect(() => new MemoryBroker({ idempotencyWindowMs: 0 })).toThrow("MemoryBroker idempotencyWindowMs must be a positive integer (got 0)");
    expect(() => new MemoryBroker({ maxIdempotencyKeys: 1.5 })).toThrow("MemoryBroker maxIdempotencyKeys must be a positive integer (got 1.5)");
  });
});
