/**
 * The shop's event contract: the one definition the server validates publishes against and
 * every client (the typed SDK, through the app's type) takes its types from.
 */
import { defineEvents } from "@events/contract";
import { type Static, Type } from "@sinclair/typebox";

/** Where an order is in its life. */
export const OrderStatus = Type.Union([Type.Literal("placed"), Type.Literal("paid"), Type.Literal("shipped"), Type.Literal("cancelled")]);

/** An order's status. */
export type OrderStatus = Static<typeof OrderStatus>;

/**
 * What followers of an order see: everything but who placed it (the stream of `orders/<id>`
 * is open to anyone who knows the id, so publish only what they may read).
 */
export const OrderUpdated = Type.Object(
  {
    id: Type.String(),
    item: Type.String(),
    quantity: Type.Integer({ minimum: 1 }),
    status: OrderStatus,
    /** ISO 8601 time of the change. */
    updatedAt: Type.String(),
  },
  { additionalProperties: false },
);

/** The `data` of an `order.updated` event. */
export type OrderUpdated = Static<typeof OrderUpdated>;

/** The shop's events: `order.updated`, published only to `orders/<id>` topics. */
export const events = defineEvents({
  "order.updated": { data: OrderUpdated, topics: ["orders/*"] },
});

/** The topic an order's events go to. */
export function orderTopic(id: string): `orders/${string}` {
  return `orders/${id}`;
}
