import { createParser, SseError, type SseMessage } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { createTestService as serviceOn, type TestService } from "../../../test/support/test-service.ts";
import { HttpError } from "../../errors.ts";
import { STREAM_HEADERS } from "./stream-opener.ts";

/** Reads a stream body until it holds `count` events, or ends. */
async function readEvents(body: ReadableStream<Uint8Array>, count: number): Promise<{ events: SseMessage[]; retries: number[]; ended: boolean }> {
  const events: SseMessage[] = [];
  const retries: number[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event), onRetry: (ms) => retries.push(ms) });
  const reader = body.getReader();
  while (events.length < count) {
    const { done, value } = await reader.read();
    if (done) return { events, retries, ended: true };
    parser.feed(value);
  }
  reader.releaseLock();
  return { events, retries, ended: false };
}

/** What a call threw, or fails the test when it returned. */
function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("EventsService.openStream", () => {
  test("answers 200 with the stream headers, retry: and a connected event counting this client", async () => {
    const { service, broker } = serviceOn();
    const response = service.openStream();
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toEqual(STREAM_HEADERS);
    expect(service.stats.clients).toBe(1);
    const { events, retries } = await readEvents(response.body!, 1);
    expect(retries).toEqual([2500]);
    expect(events[0]?.type).toBe("connected");
    expect(JSON.parse(events[0]!.data)).toEqual({ message: "Connected to SSE stream", clients: 1, replayed: 0 });
    expect(broker.subscriberCount).toBe(1);
    await response.body!.cancel();
  });

  test("hands the client's Last-Event-ID to the broker as sent, an empty one included", async () => {
    const { service, broker } = serviceOn();
    for (const lastEventId of ["fake-3", "", undefined]) {
      const body = service.openStream(lastEventId === undefined ? {} : { lastEventId }).body!;
      await readEvents(body, 1);
      await body.cancel();
    }
    expect(broker.subscribes).toEqual([{ lastEventId: "fake-3" }, { lastEventId: "" }, {}]);
  });

  test("counts a cancelled stream once, by its reason, and frees its slot", async () => {
    const { service, broker } = serviceOn();
    const body = service.openStream().body!;
    await readEvents(body, 1);
    await body.cancel();
    expect(service.stats.clients).toBe(0);
    expect(broker.subscriberCount).toBe(0);
    expect([...service.stats.streamsClosed]).toEqual([["cancelled", 1]]);
  });

  const endings = [
    ["the broker ends it", "broker-closed", ({ broker }) => broker.end()],
    ["the server shuts down", "aborted", ({ shutdown }) => shutdown.abort()],
  ] as const satisfies readonly (readonly [string, string, (test: TestService) => void])[];
  for (const [when, reason, end] of endings) {
    test(`ends a stream when ${when}, counted as ${reason}`, async () => {
      const serving = serviceOn();
      const { service } = serving;
      const body = service.openStream().body!;
      await readEvents(body, 1);
      end(serving);
      expect((await readEvents(body, 1)).ended).toBe(true);
      expect(service.stats.clients).toBe(0);
      expect([...service.stats.streamsClosed]).toEqual([[reason, 1]]);
    });
  }

  test("opens a stream while the broker is down: retry: then a clean end, counted as broker-unavailable", async () => {
    const { service, broker } = serviceOn();
    broker.failSubscribe(new SseError("BROKER_UNAVAILABLE", "down"));
    const response = service.openStream();
    expect(response.status).toBe(200);
    const { events, retries, ended } = await readEvents(response.body!, 1);
    expect({ events, retries, ended }).toEqual({ events: [], retries: [2500], ended: true });
    expect(service.stats.clients).toBe(0);
    expect([...service.stats.streamsClosed]).toEqual([["broker-unavailable", 1]]);
  });


  test("adds delivered events to the stream counters", async () => {
    const { service } = serviceOn();
    const body = service.openStream().body!;
    await readEvents(body, 1);
    service.trigger("one");
    const { events } = await readEvents(body, 1);
    expect(events.map((event) => [event.type, event.data])).toEqual([["message", '{"message":"one"}']]);
    expect(service.stats.streams.delivered).toBe(1);
    await body.cancel();
  });
});

describe("EventsService admission", () => {
  test("refuses the stream past maxClients with 503 TOO_MANY_CLIENTS and Retry-After from retryMs", async () => {
    const { service } = serviceOn({ maxClients: 2 });
    const open = [service.openStream().body!, service.openStream().body!];
    const refused = thrownBy(() => service.openStream());
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({ code: "TOO_MANY_CLIENTS", status: 503, headers: { "retry-after": "3" } });
    expect((refused as Error).message).toContain("--max-clients");
    expect(thrownBy(() => service.headStream())).toMatchObject({ code: "TOO_MANY_CLIENTS" });
    expect(service.stats.clients).toBe(2);
    await open[0]!.cancel();
    expect(service.openStream().status).toBe(200);
    for (const body of open) await body.cancel();
  });

  test("asks for at least one second of Retry-After however short retryMs is", () => {
    const { service } = serviceOn({ maxClients: 1, retryMs: 0 });
    service.openStream();
    expect(thrownBy(() => service.openStream())).toMatchObject({ headers: { "retry-after": "1" } });
  });

  test("refuses streams and HEAD with 503 SHUTTING_DOWN once the signal is aborted", () => {
    const { service, broker, shutdown } = serviceOn();
    shutdown.abort();
    for (const open of [() => service.openStream(), () => service.headStream()]) {
      expect(thrownBy(open)).toMatchObject({ code: "SHUTTING_DOWN", status: 503, headers: { "retry-after": "1" } });
    }
    expect(service.stats.clients).toBe(0);
    expect(broker.subscribes).toEqual([]);
  });

  test("answers HEAD with the stream headers and no body, subscribing and counting nothing", () => {
    const { service, broker } = serviceOn();
    const response = service.headStream();
    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
    expect(Object.fromEntries(response.headers)).toEqual(STREAM_HEADERS);
    expect(service.stats.clients).toBe(0);
    expect(broker.subscribes).toEqual([]);
  });
});

describe("EventsService.trigger", () => {
  test("answers at once, without a promise, when the broker stores synchronously", () => {
    const { service, broker } = serviceOn();
    const answer = service.trigger("hello");
    expect(answer).not.toBeInstanceOf(Promise);
    expect(answer).toEqual({ status: "Event broadcast to 0 clients", id: "fake-1", clients: 0 });
    expect(broker.inputs).toEqual([{ event: "message", data: '{"message":"hello"}' }]);
    expect(service.stats.published).toBe(1);
  });

  test("answers through the broker's promise when it has no publishSync", async () => {
    const { service, broker } = serviceOn({ fake: { sync: false } });
    const answer = service.trigger("hello");
    expect(answer).toBeInstanceOf(Promise);
    expect(await answer).toEqual({ status: "Event broadcast to 0 clients", id: "fake-1", clients: 0 });
    expect(broker.stored.map((event) => event.data)).toEqual(['{"message":"hello"}']);
    expect(service.stats.published).toBe(1);
  });

  test("names in its status line how many clients of this node the event reached", async () => {
    const { service } = serviceOn();
    const bodies = [service.openStream().body!, service.openStream().body!];
    for (const body of bodies) await readEvents(body, 1);
    expect(service.trigger("a")).toMatchObject({ status: "Event broadcast to 2 clients", clients: 2 });
    await bodies[0]!.cancel();
    expect(service.trigger("b")).toMatchObject({ status: "Event broadcast to 1 clients", clients: 1, id: "fake-2" });
    await bodies[1]!.cancel();
  });

  test("hands the idempotency key to the broker and answers the first event's id for a repeat", () => {
    const { service, broker } = serviceOn();
    const first = service.trigger("once", { idempotencyKey: "k-1" });
    const again = service.trigger("once", { idempotencyKey: "k-1" });
    expect(broker.inputs).toEqual([
      { event: "message", data: '{"message":"once"}', idempotencyKey: "k-1" },
      { event: "message", data: '{"message":"once"}', idempotencyKey: "k-1" },
    ]);
    expect(again).toEqual(first);
    expect(broker.stored).toHaveLength(1);
  });

  test("sends no idempotencyKey field when there is no key", () => {
    const { service, broker } = serviceOn();
    service.trigger("plain", { idempotencyKey: undefined });
    expect(Object.keys(broker.inputs[0]!)).toEqual(["event", "data"]);
  });

  const brokerRefusals = [
    ["BROKER_UNAVAILABLE", "BROKER_UNAVAILABLE", "the event was not stored"],
    ["BROKER_CLOSED", "BROKER_UNAVAILABLE", "the event was not stored"],
    ["PUBLISH_UNCONFIRMED", "PUBLISH_UNCONFIRMED", "may or may not have been stored"],
  ] as const;

  for (const sync of [true, false]) {
    const path = sync ? "publishSync" : "publish";
    for (const [brokerCode, httpCode, wording] of brokerRefusals) {
      test(`maps ${brokerCode} from ${path} to 503 ${httpCode} with Retry-After, counting nothing`, async () => {
        const { service, broker } = serviceOn({ fake: { sync } });
        const cause = new SseError(brokerCode, "redis said no");
        broker.failPublish(cause);
        const refused = await caught(() => service.trigger("lost"));
        expect(refused).toBeInstanceOf(HttpError);
        expect(refused).toMatchObject({ code: httpCode, status: 503, headers: { "retry-after": "1" }, cause });
        expect((refused as Error).message).toContain(wording);
        expect((refused as Error).message).toContain("redis said no");
        expect(service.stats.published).toBe(0);
        expect(service.stats.triggersRejected.size).toBe(0);
      });
    }

    test(`lets any other error from ${path} through as it is`, async () => {
      const { service, broker } = serviceOn({ fake: { sync } });
      const bug = new TypeError("boom");
      broker.failPublish(bug);
      expect(await caught(() => service.trigger("x"))).toBe(bug);
      const invalid = new SseError("INVALID_EVENT_NAME", "bad");
      broker.failPublish(invalid);
      expect(await caught(() => service.trigger("x"))).toBe(invalid);
    });
  }
});

/** What a call threw or its promise rejected with; fails the test when it succeeded. */
async function caught(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}
