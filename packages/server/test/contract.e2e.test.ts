// --contract: the standalone server serving a user's event types, over a real socket.
import { describe, expect, test } from "vitest";
import { loadServerOptions } from "../src/load-server-options.ts";
import { openStream, publish, withServer } from "./support/server.ts";

const contract = decodeURIComponent(new URL("./fixtures/shop-events.ts", import.meta.url).pathname);

describe("bun run server --contract FILE", () => {
  test("reads the flag and its environment twin", () => {
    expect(loadServerOptions(["--contract", "./my-events.ts"], {})).toMatchObject({ kind: "run", options: { contract: "./my-events.ts" } });
    expect(loadServerOptions([], { EVENTS_CONTRACT: "./env-events.ts" })).toMatchObject({ kind: "run", options: { contract: "./env-events.ts" } });
    const without = loadServerOptions([], {});
    expect(without.kind === "run" && "contract" in without.options).toBe(false);
  });

  test("stores a typed event and streams it; refuses a wrong payload with 422 naming the path, and an unknown event", async () => {
    await withServer({ contract }, async (url) => {
      const stream = await openStream(url, { query: "?topic=orders/*" });
      await stream.waitForEvents("connected", 1);
      const stored = await publish(url, { topic: "orders/42", event: "order.updated", data: { id: "42", status: "paid" } });
      expect(stored).toMatchObject({ status: 200, body: { topics: ["orders/42"], clients: 1 } });
      const [event] = await stream.waitForEvents("order.updated", 1);
      expect(event).toMatchObject({ topic: "orders/42", data: '{"id":"42","status":"paid"}', lastEventId: stored.body.id });
      const wrong = await publish(url, { topic: "orders/42", event: "order.updated", data: { id: "42", status: "lost" } });
      expect(wrong.status).toBe(422);
      expect(wrong.body.error?.message).toContain('data of event "order.updated" at /data/status');
      const unknown = await publish(url, { topic: "orders/42", data: { message: "hi" } });
      expect(unknown.body.error?.code).toBe("INVALID_EVENT_NAME");
      // The contract has no `message`: no trigger route.
      expect((await fetch(new URL("/events/trigger", url), { method: "POST", body: "{}" })).status).toBe(404);
      stream.close();
    });
  });
});
