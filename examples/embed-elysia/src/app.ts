/**
 * The shop: a host Elysia app with its own page, health check and orders API, which embeds
 * the events plugin for live order updates. Runtime free: `main.ts` serves it.
 */
import type { Broker } from "@events/sse-core";
import { Elysia } from "elysia";
import { createLiveUpdates, type LiveUpdates } from "./live-updates.ts";
import { orderFollowers } from "./order-followers.ts";
import { ORDER_PAGE_HTML } from "./order-page.ts";
import { OrderStore } from "./orders.ts";
import { ordersRoutes } from "./orders-routes.ts";
import { createShippingJob, type ShippingJob } from "./shipping-job.ts";

/** Options of {@link createShop}. Every field is optional. */
export interface ShopOptions {
  /** Bearer token for `POST /events/publish` (other services, events-cli). @default false (open) */
  readonly publishToken?: string | false;
  /** Where events are stored. @default a new MemoryBroker */
  readonly broker?: Broker;
  /** Abort to end every stream. @default never */
  readonly signal?: AbortSignal;
  /** The orders. @default an empty OrderStore */
  readonly store?: OrderStore;
  /** Receives an error the shipping job could not publish. @default ignore */
  readonly onJobError?: (error: unknown) => void;
  /**
   * Who may follow an order: `"customer"`, its signed-in customer only (`order-followers.ts`);
   * `"anyone"`, whoever knows its id (a demo without sign-in). @default "customer"
   */
  readonly followers?: "customer" | "anyone";
}

function buildShop(options: ShopOptions = {}) {
  const store = options.store ?? new OrderStore();
  const live = createLiveUpdates({ ...options, ...((options.followers ?? "customer") === "customer" ? { authorize: orderFollowers(store) } : {}) });
  const app = new Elysia({ name: "shop" })
    .get("/", () => new Response(ORDER_PAGE_HTML, { headers: { "content-type": "text/html; charset=utf-8" } }))
    .get("/healthz", () => ({ status: "ok" }))
    .use(live)
    .use(ordersRoutes(store, live));
  const job = createShippingJob({ store, publisher: live.publisher, ...(options.onJobError === undefined ? {} : { onError: options.onJobError }) });
  return { app, store, live, job };
}

/** The Elysia app: what `main.ts` serves and what `createEventsClient<App>` reads its types from. */
export type App = ReturnType<typeof buildShop>["app"];

/** A built shop: the app, its orders, the events plugin (for its publisher) and the shipping job. */
export interface Shop {
  readonly app: App;
  readonly store: OrderStore;
  readonly live: LiveUpdates;
  readonly job: ShippingJob;
}

/**
 * Builds the shop.
 * @example
 * const { app, job } = createShop();
 * Bun.serve({ fetch: app.fetch });
 * job.start(10_000);
 */
export function createShop(options: ShopOptions = {}): Shop {
  return buildShop(options);
}
