/**
 * Test support: a host Elysia app of its own (its `/`, `/healthz`, a `POST /api/orders/:id`
 * that publishes through `ctx.events`, a hook before every handler, an error hook answering 418
 * for everything, Elysia's default `normalize: true`) with `eventsPlugin` mounted after its hooks,
 * where they apply to the plugin's routes too and run before the plugin's own.
 */
import { defineEvents, MessageEventData } from "@events/contract";
import { Elysia } from "elysia";
import { eventsPlugin } from "../../src/plugins/events-plugin.ts";
import type { EventsPluginOptions } from "../../src/plugins/events-plugin-options.ts";
import { ChatMessage, OrderUpdated } from "../fixtures/shop-events.ts";

/** The shop's events plus the Goa `message`, so the plugin serves a trigger route too. */
export const hostEvents = defineEvents({
  "order.updated": { data: OrderUpdated, topics: ["orders/*"] },
  "chat.message": ChatMessage,
  message: MessageEventData,
});

/** What the host's own error hook answers, for anything. */
export const HOST_ERROR_STATUS = 418;

/** Builds the host with the plugin (trigger token "tok", 1 KiB bodies, no keepalive); `options` override. */
export function createHostApp(options: EventsPluginOptions<typeof hostEvents, "/events"> = {}) {
  const plugin = eventsPlugin({ events: hostEvents, triggerToken: "tok", maxBodyBytes: 1024, keepAliveMs: false, ...options });
  const seen = { beforeHandle: [] as string[], errors: [] as string[] };
  const app = new Elysia({ name: "host" })
    .onBeforeHandle(({ request }) => {
      seen.beforeHandle.push(`${request.method} ${new URL(request.url).pathname}`);
    })
    .onError(({ code }) => {
      seen.errors.push(String(code));
      return new Response(JSON.stringify({ host: String(code) }), { status: HOST_ERROR_STATUS });
    })
    .get("/", () => "host home")
    .get("/healthz", () => ({ host: "ok" }))
    .use(plugin)
    .post("/api/orders/:id", async ({ params, body, events }) => {
      const status = (body as { status?: "paid" | "shipped" }).status ?? "paid";
      const published = await events.publish(`orders/${params.id}`, "order.updated", { id: params.id, status });
      return { order: params.id, status, event: published.id };
    });
  return { app, plugin, seen };
}
