import { describe, expect, test } from "vitest";
import { createEventsClient } from "./client.ts";
import { answer, scriptedFetch, type Step } from "./test-support/scripted-fetch.ts";

const json = (status: number, body: unknown): Step => answer(status, { "content-type": "application/json" }, JSON.stringify(body));
const accepted = json(200, { id: "1-0", topics: ["orders/1"], clients: 0 });
const unauthorized = json(401, { error: { code: "INVALID_TOKEN", message: "token expired" } });

describe("trigger and publish: token", () => {
  test("call the token function before each request", async () => {
    let calls = 0;
    const server = scriptedFetch([accepted, json(200, { status: "ok", id: "2-0", clients: 0 })]);
    const client = createEventsClient("http://events.test", { fetch: server.fetch, token: async () => `t${++calls}` });
    await client.publish({ topic: "orders/1", data: 1 });
    await client.trigger("hi");
    expect(server.requests.map((request) => request.headers.get("authorization"))).toEqual(["Bearer t1", "Bearer t2"]);
  });

  test("send once more with a fresh token after a 401, then succeed", async () => {
    let calls = 0;
    const server = scriptedFetch([unauthorized, accepted]);
    const client = createEventsClient("http://events.test", { fetch: server.fetch, token: () => `t${++calls}` });
    expect(await client.publish({ topic: "orders/1", data: 1 })).toEqual({ id: "1-0", topics: ["orders/1"], clients: 0 });
    expect(server.requests.map((request) => request.headers.get("authorization"))).toEqual(["Bearer t1", "Bearer t2"]);
  });

  test("report a second 401 with the server's code", async () => {
    const server = scriptedFetch([unauthorized, unauthorized, accepted]);
    const client = createEventsClient("http://events.test", { fetch: server.fetch, token: () => "t" });
    const error = await client.publish({ topic: "orders/1", data: 1 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "HTTP_ERROR", status: 401, serverCode: "INVALID_TOKEN" });
    expect(server.requests).toHaveLength(2);
  });

  test("do not resend a 401 with a fixed token, nor a 403 with a function", async () => {
    const fixed = scriptedFetch([unauthorized, accepted]);
    await createEventsClient("http://events.test", { fetch: fixed.fetch, token: "t" }).trigger("hi").catch(() => undefined);
    expect(fixed.requests).toHaveLength(1);
    const forbidden = scriptedFetch([json(403, { error: { code: "FORBIDDEN_TOPIC", message: "not orders/2" } }), accepted]);
    const error = await createEventsClient("http://events.test", { fetch: forbidden.fetch, token: () => "t" })
      .publish({ topic: "orders/2", data: 1 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "HTTP_ERROR", status: 403, serverCode: "FORBIDDEN_TOPIC" });
    expect(forbidden.requests).toHaveLength(1);
  });

  test("fail with TOKEN_ERROR or INVALID_TOKEN before sending anything", async () => {
    const server = scriptedFetch([accepted]);
    const throwing = createEventsClient("http://events.test", { fetch: server.fetch, token: () => Promise.reject(new Error("no session")) });
    expect(await throwing.trigger("hi").catch((caught: unknown) => caught)).toMatchObject({ code: "TOKEN_ERROR" });
    const empty = createEventsClient("http://events.test", { fetch: server.fetch, token: () => "" });
    expect(await empty.trigger("hi").catch((caught: unknown) => caught)).toMatchObject({ code: "INVALID_TOKEN" });
    expect(server.requests).toHaveLength(0);
  });

  test("report ABORTED when the signal aborts while the token function runs", async () => {
    const controller = new AbortController();
    const client = createEventsClient("http://events.test", { fetch: scriptedFetch([]).fetch, token: () => new Promise<string>(() => {}) });
    const pending = client.trigger("hi", { signal: controller.signal }).catch((caught: unknown) => caught);
    controller.abort();
    expect(await pending).toMatchObject({ code: "ABORTED" });
  });
});
