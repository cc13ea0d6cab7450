/**
 * Who may follow which order: the events plugin's `authorize` hook, answered from the host's
 * own session and orders. A signed-in customer may follow `orders/<id>` of their own orders
 * only (a stream asking for another's gets 403, for `orders/*` too), and publishes nothing over
 * HTTP (the shop's own code publishes in process). Without a session the hook answers
 * `undefined`, so the plugin falls back to a token: the publish token for other services, or
 * 401 for an anonymous follower. Asked once per stream or publish, never per event.
 */
import type { AuthorizeHook } from "@events/server";
import { orderTopic } from "./events.ts";
import type { OrderStore } from "./orders.ts";
import { sessionUser } from "./session.ts";

/**
 * The hook for `store`'s orders.
 * @example
 * eventsPlugin({ events, authorize: orderFollowers(store) });
 */
export function orderFollowers(store: OrderStore): AuthorizeHook {
  return (request) => {
    const user = sessionUser(request);
    if (user === undefined) return undefined;
    return { subscribe: store.ofCustomer(user).map((order) => orderTopic(order.id)), publish: [] };
  };
}
