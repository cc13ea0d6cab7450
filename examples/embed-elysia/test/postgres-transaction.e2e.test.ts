// The README's "One transaction (Postgres)": the shop on the Postgres broker with its own pool,
// writing an order and publishing order.updated in one transaction. A follower gets the event of
// a committed order, and never the event of an order whose transaction rolled back.
import { PostgresBroker } from "@events/postgres-broker";
import postgres from "postgres";
import { describe, expect, test } from "vitest";
import { orderTopic } from "../src/events.ts";
import { type Order, orderUpdate } from "../src/orders.ts";
import { POSTGRES_URL, skipWithoutPostgres } from "./test-support/postgres.ts";
import { withServedShop } from "./test-support/served-shop.ts";

const postgresMissing = await skipWithoutPostgres("the one-transaction example");

/** Reads the events of a text/event-stream body: each block's `event:` and parsed `data:`. */
async function* events(body: ReadableStream<Uint8Array>): AsyncGenerator<{ type: string; data: unknown }> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of body) {
    text += decoder.decode(chunk, { stream: true });
    for (let end = text.indexOf("\n\n"); end !== -1; end = text.indexOf("\n\n")) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const type = /^event: (.*)$/m.exec(block)?.[1];
      if (type !== undefined) yield { type, data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null") };
    }
  }
}

describe("an order written and published in one transaction", () => {
  test.skipIf(postgresMissing)("reaches a follower when it commits, and never when it rolls back", async () => {
    const suffix = `${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const orders = `example_orders_${suffix}`;
    const table = `example_events_${suffix}`;
    const sql = postgres(POSTGRES_URL, { max: 4, onnotice: () => {} });
    const broker = new PostgresBroker({ sql, table });
    try {
      await sql.unsafe(`create table ${orders} (id serial primary key, customer text not null, item text not null,
        quantity integer not null, status text not null, updated_at timestamptz not null default now())`);
      await broker.ready();
      /** The README's transaction: the order's row and its event, committed together or not at all. */
      const placeOrder = (item: string, fail: boolean): Promise<Order> =>
        sql.begin(async (tx) => {
          const [row] = await tx.unsafe(`insert into ${orders} (customer, item, quantity, status) values ('alice', $1, 1, 'placed') returning *`, [item]);
          const order: Order = { id: String(row?.["id"]), customer: "alice", item, quantity: 1, status: "placed", updatedAt: new Date(row?.["updated_at"]).toISOString() };
          await broker.publish({ topics: [orderTopic(order.id)], event: "order.updated", data: JSON.stringify(orderUpdate(order)) }, { tx });
          if (fail) throw new Error("payment declined");
          return order;
        });

      await withServedShop({ broker }, async ({ url }) => {
        const controller = new AbortController();
        const response = await fetch(`${url}/events/stream?topic=orders/*`, { signal: controller.signal });
        const updates = events(response.body!);
        try {
          // Following from here on: what commits after `connected` reaches this stream.
          expect((await updates.next()).value).toMatchObject({ type: "connected" });
          const committed = await placeOrder("tea", false);
          expect((await updates.next()).value).toEqual({ type: "order.updated", data: orderUpdate(committed) });
          await expect(placeOrder("coffee", true)).rejects.toThrow("payment declined");
          const next = await placeOrder("cake", false);
          // The rolled-back order's event was never stored: the next one the follower gets is cake's.
          expect((await updates.next()).value).toEqual({ type: "order.updated", data: orderUpdate(next) });
        } finally {
          controller.abort();
        }
      });
      const rows = await sql.unsafe(`select item from ${orders} order by id`);
      expect(rows.map((row) => row["item"])).toEqual(["tea", "cake"]);
    } finally {
      await broker.close();
      await sql.unsafe(`drop table if exists ${orders}, ${table}, ${table}_meta, ${table}_topics cascade`);
      await sql.unsafe(`drop sequence if exists ${table}_seq`);
      await sql.unsafe(`drop function if exists ${table}_new_epoch() cascade`);
      await sql.end({ timeout: 1 });
    }
  }, 30_000);
});
