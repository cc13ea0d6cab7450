import { describe, expect, test } from "vitest";
import { createEventsClient } from "./client.ts";
import { EventsClientError } from "./errors.ts";
import { answer, networkError, type Step } from "./test-support/scripted-fetch.ts";

interface Sent {
  readonly url: string;
  readonly method: string | undefined;
  readonly headers: Headers;
  readonly body: unknown;
}

/** A server answering every request with `step`, recording what was sent. */
function server(step: Step): { fetch: (input: string, init: RequestInit) => Promise<Response>; sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    fetch: async (input, init) => {
      sent.push({ url: input, method: init.method, headers: new Headers(init.headers), body: JSON.parse(init.body as string) });
      return step({ url: input, headers: new Headers(init.headers), signal: init.signal ?? undefined, redirect: init.redirect });
    },
  };
}

const json = (status: number, body: unknown): Step => answer(status, { "content-type": "application/json" }, JSON.stringify(body));
const accepted = { id: "e-7", topics: ["orders/42"], clients: 3 };

describe("publish", () => {
  test("posts topic, event and data as JSON with the token and resolves to the server's answer", async () => {
    const fake = server(json(200, accepted));
    const client = createEventsClient("http://events.test/base", { fetch: fake.fetch, token: "tok" });
    const data = { total: 12, note: "2025-01-01T00:00:00Z", lines: [1, null] };
    await expect(client.publish({ topic: "orders/42", event: "order.updated", data })).resolves.toEqual(accepted);
    expect(fake.sent[0]).toMatchObject({ url: "http://events.test/base/events/publish", method: "POST" });
    expect(fake.sent[0]?.headers.get("authorization")).toBe("Bearer tok");
    expect(fake.sent[0]?.headers.get("content-type")).toBe("application/json");
    expect(fake.sent[0]?.body).toEqual({ topic: "orders/42", event: "order.updated", data });
  });

  test("posts topics for several and leaves event out when not given", async () => {
    const fake = server(json(200, { id: "e-8", topics: ["a", "b"], clients: 0 }));
    await createEventsClient("http://events.test", { fetch: fake.fetch }).publish({ topics: ["a", "b"], data: "text" });
    expect(fake.sent[0]?.body).toEqual({ topics: ["a", "b"], data: "text" });
  });

  test("sends any JSON value as data, null and false included", async () => {
    for (const data of [null, false, 0, [], "x"]) {
      const fake = server(json(200, accepted));
      await createEventsClient("http://events.test", { fetch: fake.fetch }).publish({ topic: "t", data });
      expect(fake.sent[0]?.body).toEqual({ topic: "t", data });
    }
  });

  test("refuses bad input with INVALID_OPTION before sending", async () => {
    const fake = server(json(200, accepted));
    const publish = createEventsClient("http://events.test", { fetch: fake.fetch }).publish as (input: unknown) => Promise<unknown>;
    const cases: Array<[unknown, string]> = [
      [{ data: 1 }, "exactly one of topic and topics"],
      [{ topic: "a", topics: ["b"], data: 1 }, "exactly one of topic and topics"],
      [{ topic: "orders/*", data: 1 }, "topic"],
      [{ topics: [], data: 1 }, "1 to 8 topics"],
      [{ topics: Array.from({ length: 9 }, (_, i) => `t${i}`), data: 1 }, "1 to 8 topics"],
      [{ topics: "a", data: 1 }, "topics must be a list"],
      [{ topic: "a" }, "needs data"],
      [{ topic: "a", data: 1n }, "serialisable as JSON"],
      [{ topic: "a", event: "a\nb", data: 1 }, "event"],
      [{ topic: "a", event: "", data: 1 }, "event"],
      [null, "publish takes"],
    ];
    for (const [input, reason] of cases) {
      const error = await publish(input).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EventsClientError);
      expect(error).toMatchObject({ code: "INVALID_OPTION" });
      expect((error as Error).message).toContain(reason);
    }
    expect(fake.sent).toHaveLength(0);
  });

  test("posts an array of events as one batch and resolves to one answer per event", async () => {
    const answers = [accepted, { id: "e-8", topics: ["a", "b"], clients: 0 }];
    const fake = server(json(200, answers));
    const client = createEventsClient("http://events.test", { fetch: fake.fetch });
    const batch = [
      { topic: "orders/42", event: "order.updated", data: { total: 1 } },
      { topics: ["a", "b"], data: null },
    ];
    await expect(client.publish(batch)).resolves.toEqual(answers);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]?.body).toEqual(batch);
  });

  test("refuses an empty batch or a bad item (naming its index) before sending, and a mismatched answer", async () => {
    const fake = server(json(200, [accepted]));
    const publish = createEventsClient("http://events.test", { fetch: fake.fetch }).publish as (input: unknown) => Promise<unknown>;
    const empty = await publish([]).catch((caught: unknown) => caught);
    expect(empty).toMatchObject({ code: "INVALID_OPTION" });
    const bad = await publish([{ topic: "a", data: 1 }, { topic: "a/*", data: 2 }]).catch((caught: unknown) => caught);
    expect(bad).toMatchObject({ code: "INVALID_OPTION" });
    expect((bad as Error).message).toMatch(/^inputs\[1\]: /);
    expect(fake.sent).toHaveLength(0);
    await expect(publish([{ topic: "a", data: 1 }, { topic: "b", data: 2 }])).rejects.toMatchObject({ code: "INVALID_RESPONSE" });
  });

  test("rejects with HTTP_ERROR carrying the status and the server's JSON error", async () => {
    const body = { error: { code: "INVALID_TOPIC", message: 'topic "connected" is reserved' } };
    const fake = server(json(400, body));
    const error = await createEventsClient("http://events.test", { fetch: fake.fetch })
      .publish({ topic: "a", event: "x", data: 1 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "HTTP_ERROR", status: 400, body });
    expect((error as Error).message).toBe('POST http://events.test/events/publish failed with HTTP 400 (INVALID_TOPIC: topic "connected" is reserved)');
  });

  test("rejects with NETWORK_ERROR when the server cannot be reached", async () => {
    const fake = server(networkError());
    const error = await createEventsClient("http://events.test", { fetch: fake.fetch })
      .publish({ topic: "a", data: 1 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "NETWORK_ERROR" });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  test("rejects with ABORTED when its signal aborts", async () => {
    const fetch = (_input: string, init: RequestInit): Promise<Response> =>
      new Promise((_resolve, reject) => {
        if (init.signal?.aborted) reject(init.signal.reason);
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    const controller = new AbortController();
    const pending = createEventsClient("http://events.test", { fetch }).publish({ topic: "a", data: 1 }, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "ABORTED" });
  });

  test("rejects with INVALID_RESPONSE on a success that is not the contract's JSON", async () => {
    for (const reply of [{ id: "e-1" }, { id: "e-1", topics: "a", clients: 1 }, { id: 1, topics: [], clients: 0 }]) {
      const fake = server(json(200, reply));
      await expect(createEventsClient("http://events.test", { fetch: fake.fetch }).publish({ topic: "a", data: 1 })).rejects.toMatchObject({
        code: "INVALID_RESPONSE",
      });
    }
  });
});
