// The service's authorization seams: `admit` sees the resolved subscription before admission,
// `permit` the resolved topics before anything is stored, and `endsAtMs` ends a stream with
// `auth-expired` on a deadline scheduler the test moves (no real timer).
import { createParser, type SseMessage, type SubscribedTopic } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { createTestService } from "../../../test/support/test-service.ts";
import { HttpError } from "../../errors.ts";
import { createManualDeadlines } from "../../../../sse-core/src/test-support/manual-deadlines.ts";

async function readAll(body: ReadableStream<Uint8Array>, count: number): Promise<{ events: SseMessage[]; ended: boolean }> {
  const events: SseMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  const reader = body.getReader();
  while (events.length < count) {
    const { done, value } = await reader.read();
    if (done) return { events, ended: true };
    parser.feed(value);
  }
  reader.releaseLock();
  return { events, ended: false };
}

const forbidden = (): never => {
  throw new HttpError("FORBIDDEN_TOPIC", "no");
};

describe("EventsService authorization seams", () => {
  test("admits a stream on its resolved subscription, before admission and before subscribing", () => {
    const { service, broker } = createTestService({ maxClients: 1 });
    const seen: (readonly SubscribedTopic[])[] = [];
    service.openStream({ topics: ["orders/*", "orders/*"], admit: (subscription) => seen.push(subscription) });
    expect(seen.map((subscription) => subscription.map((topic) => topic.text))).toEqual([["orders/*"]]);
    // Refused by admit: not counted, not subscribed, even past maxClients.
    expect(() => service.openStream({ topics: ["users/7"], admit: forbidden })).toThrow("no");
    expect(service.stats.clients).toBe(1);
    expect(broker.subscribes.length).toBe(1);
  });

  test("answers HEAD with admit's refusal, and checks the topics only then", () => {
    const { service } = createTestService();
    expect(() => service.headStream({ topics: ["a"], admit: forbidden })).toThrow("no");
    expect(() => service.headStream({ topics: ["a//b"], admit: () => undefined })).toThrow(HttpError);
    expect(service.headStream().status).toBe(200);
  });

  test("permits a publish's and a trigger's resolved topics before storing anything", () => {
    const { service, broker } = createTestService();
    const permitted: (readonly string[])[] = [];
    service.publish({ topics: ["a", "b", "a"], data: 1 }, { permit: (topics) => permitted.push(topics) });
    service.trigger("hi", { permit: (topics) => permitted.push(topics) });
    expect(permitted).toEqual([["a", "b"], ["events"]]);
    expect(() => service.publish({ topic: "c", data: 1 }, { permit: forbidden })).toThrow("no");
    expect(() => service.trigger("x", { topic: "c", permit: forbidden })).toThrow("no");
    expect(broker.inputs.length).toBe(2);
  });

  test("ends a stream at endsAtMs with auth-expired and no id", async () => {
    const clock = createManualDeadlines();
    const { service } = createTestService({ deadlines: clock.deadlines });
    const response = service.openStream({ topics: ["a"], endsAtMs: 5000 });
    const body = response.body as ReadableStream<Uint8Array>;
    const opened = await readAll(body, 1);
    expect(opened.events[0]?.type).toBe("connected");
    clock.reach(5000);
    const rest = await readAll(body, 1);
    expect(rest.events.map((event) => [event.type, event.lastEventId, JSON.parse(event.data)])).toEqual([
      // Read by a fresh parser: an empty lastEventId means the frame has no id: line.
      ["auth-expired", "", { message: "token expired; reconnect with a fresh token", expiredAt: "1970-01-01T00:00:05.000Z" }],
    ]);
    expect((await readAll(body, 1)).ended).toBe(true);
    expect(service.stats.clients).toBe(0);
  });
});
