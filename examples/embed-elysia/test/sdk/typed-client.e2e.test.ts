// The typed SDK against the example served as a process (`src/main.ts`: plain
// `Bun.serve({ fetch: app.fetch })`), on whichever runtime runs this file: Bun, Deno and Node
// (`bun run test` runs it on all three). A customer places an order, follows it, pays; the
// shipping job ships it; the client sees both changes, typed by the shop's contract.
import { createEventsClient } from "@events/client-sdk";
import { describe, expect, test } from "vitest";
import { join } from "node:path";
import { repoRoot, withServerProcess } from "../../../../packages/server/test/support/server-process.ts";
import type { App } from "../../src/app.ts";
import type { OrderStatus } from "../../src/events.ts";

/** A host API call as `user` (the host's own `x-session` sign-in). */
async function api(base: string, user: string, method: string, path: string, body: unknown): Promise<{ id: string; status: string }> {
  const response = await fetch(new URL(path, base), { method, headers: { "content-type": "application/json", "x-session": user }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string; status: string };
}

describe("the typed SDK following an order of the example", () => {
  test("gets order.updated for the followed order, data typed, from a host route and from the shipping job", async () => {
    const options = { entry: join(repoRoot(), "examples/embed-elysia/src/main.ts"), env: { PORT: "0", HOST: "127.0.0.1", SHIP_EVERY_MS: "100" } };
    await withServerProcess(options, async (server) => {
      const base = server.listening.origin;
      const other = await api(base, "bob", "POST", "/api/orders", { item: "cups", quantity: 6 });
      const order = await api(base, "alice", "POST", "/api/orders", { item: "tea", quantity: 2 });
      // Signed in as Alice: the shop lets its customers follow their own orders only.
      const client = createEventsClient<App>(base, { headers: { "x-session": "alice" } });
      const seen: Array<{ topic: string; id: string; status: OrderStatus }> = [];
      let paid = false;
      for await (const event of client.stream({ topics: [`orders/${order.id}`] })) {
        if (event.unknown) throw new Error(`an event type outside the contract: ${event.type}`);
        if (event.type === "connected" && !paid) {
          paid = true;
          // Bob's order changes too; a follower of Alice's order must not see it.
          await api(base, "bob", "PATCH", `/api/orders/${other.id}`, { status: "paid" });
          await api(base, "alice", "PATCH", `/api/orders/${order.id}`, { status: "paid" });
        }
        if (event.type !== "order.updated") continue;
        // Typed by the contract: `status` is OrderStatus, `topic` is `orders/${string}`.
        seen.push({ topic: event.topic, id: event.data.id, status: event.data.status });
        if (event.data.status === "shipped") break;
      }
      const topic = `orders/${order.id}`;
      expect(seen).toEqual([
        { topic, id: order.id, status: "paid" },
        { topic, id: order.id, status: "shipped" },
      ]);
    });
  }, 60_000);
});
