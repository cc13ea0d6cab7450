import { type Broker, MemoryBroker, SseError } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { createApp } from "../../app.ts";
import { FakeBroker } from "../../../test/support/fake-broker.ts";

interface Answer {
  status: number;
  headers: Headers;
  body: { id?: string; error?: { code: string; message: string } };
}

async function trigger(broker: Broker, message: string, headers: Record<string, string> = {}): Promise<Answer> {
  const app = await createApp({ broker, webRoot: false, keepAliveMs: false });
  const response = await app.handle(
    new Request("http://localhost/events/trigger", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ message }),
    }),
  );
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer["body"] };
}

/** A broker whose every publish fails with `error`. */
function failingBroker(error: SseError): FakeBroker {
  const broker = new FakeBroker({ sync: false });
  broker.failPublish(error);
  return broker;
}

describe("POST /events/trigger with Idempotency-Key", () => {
  test("answers a repeated key 200 with the first event's id and stores nothing", async () => {
    const broker = new MemoryBroker();
    const first = await trigger(broker, "hello", { "idempotency-key": "order-42" });
    const again = await trigger(broker, "hello", { "idempotency-key": "order-42" });
    const other = await trigger(broker, "hello", { "idempotency-key": "order-43" });
    expect(first.status).toBe(200);
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id } });
    expect(other.body.id).not.toBe(first.body.id);
    expect(broker.historyLength).toBe(2);
  });

  test("stores every trigger without a key", async () => {
    const broker = new MemoryBroker();
    await trigger(broker, "hello");
    await trigger(broker, "hello");
    expect(broker.historyLength).toBe(2);
  });

  for (const [what, key] of [
    ["an empty key", ""],
    ["a key of 201 characters", "k".repeat(201)],
    ["a key with a space", "a b"],
    ["a key with a non-ASCII character", "caf\u00e9"],
  ] as const) {
    test(`refuses ${what} with 400 INVALID_IDEMPOTENCY_KEY and stores nothing`, async () => {
      const broker = new MemoryBroker();
      const answer = await trigger(broker, "hello", { "idempotency-key": key });
      expect(answer.status).toBe(400);
      expect(answer.body.error?.code).toBe("INVALID_IDEMPOTENCY_KEY");
      expect(answer.body.error?.message).toContain("Idempotency-Key must be 1 to 200 printable ASCII characters");
      expect(broker.historyLength).toBe(0);
    });
  }

  test("accepts a key of 200 printable ASCII characters", async () => {
    const key = "!~".repeat(100);
    const answer = await trigger(new MemoryBroker(), "hello", { "idempotency-key": key });
    expect(answer.status).toBe(200);
  });

  test("answers 503 PUBLISH_UNCONFIRMED with Retry-After when the broker cannot tell whether it stored the event", async () => {
    const answer = await trigger(failingBroker(new SseError("PUBLISH_UNCONFIRMED", "redis: Command timed out")), "hello");
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("1");
    expect(answer.body.error?.code).toBe("PUBLISH_UNCONFIRMED");
    expect(answer.body.error?.message).toContain("may or may not have been stored");
    expect(answer.body.error?.message).toContain("retry with the same Idempotency-Key");
  });

  test("answers 503 BROKER_UNAVAILABLE when the broker surely did not store the event", async () => {
    const answer = await trigger(failingBroker(new SseError("BROKER_UNAVAILABLE", "redis: connection is reconnecting")), "hello");
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("1");
    expect(answer.body.error?.code).toBe("BROKER_UNAVAILABLE");
    expect(answer.body.error?.message).toContain("the event was not stored");
  });
});
