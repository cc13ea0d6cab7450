/**
 * The host's own API: `POST /api/orders`, `GET /api/orders/:id`, `PATCH /api/orders/:id`,
 * behind its own sign-in, with its own validation and error answers. After each write it
 * publishes `order.updated` to `orders/<id>` through the context's `events` publisher, which
 * the events plugin adds (and which checks the payload against the contract, like the
 * compiler does).
 */
import { Elysia, t } from "elysia";
import { orderTopic } from "./events.ts";
import type { LiveUpdates } from "./live-updates.ts";
import { type Order, type OrderStore, orderUpdate } from "./orders.ts";
import { session } from "./session.ts";

/** The host's answer for an order that does not exist or is someone else's. */
const NOT_FOUND = { error: "no such order" } as const;

/**
 * The orders routes. Paths are written out rather than set with Elysia's `prefix`: a prefix
 * would also apply to the events plugin used here (for the typed `events` in the context),
 * mounting a second copy of its routes under `/api/events`.
 */
export function ordersRoutes(store: OrderStore, live: LiveUpdates) {
  const own = (id: string, user: string): Order | undefined => {
    const order = store.get(id);
    return order?.customer === user ? order : undefined;
  };
  return new Elysia({ name: "shop.orders" })
    .use(live)
    .use(session)
    .post(
      "/api/orders",
      async ({ body, user, events, status }) => {
        const order = store.create(user, body);
        await events.publish(orderTopic(order.id), "order.updated", orderUpdate(order));
        return status(201, order);
      },
      { body: t.Object({ item: t.String({ minLength: 1, maxLength: 100 }), quantity: t.Integer({ minimum: 1, maximum: 100 }) }) },
    )
    .get("/api/orders/:id", ({ params, user, status }) => own(params.id, user) ?? status(404, NOT_FOUND))
    .patch(
      "/api/orders/:id",
      async ({ params, body, user, events, status }) => {
        const order = own(params.id, user);
        if (order === undefined) return status(404, NOT_FOUND);
        if (!store.canMove(order, body.status)) return status(409, { error: `an order that is ${order.status} cannot become ${body.status}` });
        const moved = store.move(order, body.status);
        await events.publish(orderTopic(moved.id), "order.updated", orderUpdate(moved));
        return moved;
      },
      // A customer pays or cancels; shipping is the warehouse's job (shipping-job.ts).
      { body: t.Object({ status: t.Union([t.Literal("paid"), t.Literal("cancelled")]) }) },
    );
}
