import { describe, expect, test } from "vitest";
import { createEventsClient } from "./client.ts";
import { EventsClientError } from "./errors.ts";
import { answer, networkError, scriptedFetch, type Step } from "./test-support/scripted-fetch.ts";

interface Sent {
  url: string;
  method: string | undefined;
  headers: Headers;
  body: unknown;
}

function server(step: Step): { fetch: (input: string, init: RequestInit) => Promise<Response>; sent: Sent[] } {
  const sent: Sent[] = [];
  const scripted = scriptedFetch([step]);
  return {
    sent,
    fetch: (input, init) => {
      sent.push({ url: input, method: init.method, headers: new Headers(init.headers), body: init.body });
      return scripted.fetch(input, init);
    },
  };
}

const json = (status: number, body: unknown): Step => answer(status, { "content-type": "application/json" }, JSON.stringify(body));

describe("trigger", () => {
  test("posts the message as JSON with the token and resolves to the server's answer", async () => {
    const reply = { status: "Event broadcast to 2 clients", id: "2025-01-01T00:00:00Z", clients: 2 };
    const fake = server(json(200, reply));
    const client = createEventsClient("http://events.test/base/", { fetch: fake.fetch, token: "tok" });
    await expect(client.trigger('he said "hi"\n<b>')).resolves.toEqual(reply);
    expect(fake.sent[0]?.url).toBe("http://events.test/base/events/trigger");
    expect(fake.sent[0]?.method).toBe("POST");
    expect(fake.sent[0]?.headers.get("authorization")).toBe("Bearer tok");
    expect(fake.sent[0]?.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(fake.sent[0]?.body as string)).toEqual({ message: 'he said "hi"\n<b>' });
  });

  test("sends no Authorization header without a token", async () => {
    const fake = server(json(200, { status: "ok", id: "1-1", clients: 0 }));
    await createEventsClient("http://events.test", { fetch: fake.fetch }).trigger("x");
    expect(fake.sent[0]?.headers.has("authorization")).toBe(false);
  });

  test("rejects with HTTP_ERROR carrying the status and the server's JSON error", async () => {
    const body = { error: { code: "UNAUTHORIZED", message: "a valid Bearer token is required" } };
    const fake = server(json(401, body));
    const error = await createEventsClient("http://events.test", { fetch: fake.fetch })
      .trigger("x")
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EventsClientError);
    expect(error).toMatchObject({ code: "HTTP_ERROR", status: 401, body });
    expect((error as Error).message).toContain("UNAUTHORIZED: a valid Bearer token is required");
  });

  test("rejects with NETWORK_ERROR when the server cannot be reached", async () => {
    const fake = server(networkError());
    const error = await createEventsClient("http://events.test", { fetch: fake.fetch })
      .trigger("x")
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "NETWORK_ERROR", status: undefined });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  test("rejects with ABORTED when its signal aborts", async () => {
    const fetch = (_input: string, init: RequestInit): Promise<Response> =>
      new Promise((_resolve, reject) => {
        if (init.signal?.aborted) reject(init.signal.reason);
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    const controller = new AbortController();
    const pending = createEventsClient("http://events.test", { fetch }).trigger("x", { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "ABORTED" });
  });

  test("rejects with INVALID_RESPONSE on a success that is not the contract's JSON", async () => {
    const fake = server(answer(200, { "content-type": "text/html" }, "<html>"));
    await expect(createEventsClient("http://events.test", { fetch: fake.fetch }).trigger("x")).rejects.toMatchObject({
      code: "INVALID_RESPONSE",
    });
  });

  test("sends the topic option beside the message, and none without it", async () => {
    const fake = server(json(200, { status: "ok", id: "1-1", clients: 0 }));
    await createEventsClient("http://events.test", { fetch: fake.fetch }).trigger("x", { topic: "rooms/7" });
    expect(JSON.parse(fake.sent[0]?.body as string)).toEqual({ message: "x", topic: "rooms/7" });
  });

  test("refuses a topic option that is not a topic name before sending", async () => {
    const fake = server(json(200, {}));
    await expect(createEventsClient("http://events.test", { fetch: fake.fetch }).trigger("x", { topic: "rooms/*" })).rejects.toMatchObject({
      code: "INVALID_OPTION",
    });
    expect(fake.sent).toHaveLength(0);
  });

  test("rejects a message that is not a string before sending", async () => {
    const fake = server(json(200, {}));
    const trigger = createEventsClient("http://events.test", { fetch: fake.fetch }).trigger as (message: unknown) => Promise<unknown>;
    await expect(trigger(42)).rejects.toMatchObject({ code: "INVALID_OPTION" });
    expect(fake.sent).toHaveLength(0);
  });
});
