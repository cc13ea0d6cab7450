import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { comparePostgresEventIds } from "../src/event-id.ts";
import { PostgresBroker } from "../src/postgres-broker.ts";
import { createRecorder, openSql, POSTGRES_URL, SKIP_POSTGRES, waitFor, withTable } from "./support/postgres.ts";

const NODE_SCRIPT = fileURLToPath(new URL("./support/broker-node.ts", import.meta.url));
const SUBSCRIBED = ["a", "b/*"];
const TOPICS = ["a", "b/1", "c", "b/2/x", "bb"];

describe("two PostgresBroker nodes sharing one table", () => {
  test.skipIf(SKIP_POSTGRES)("delivers an event published on one node to the subscribers of the other", async () => {
    await withTable(async (table) => {
      const a = new PostgresBroker({ url: POSTGRES_URL, table, pollIntervalMs: 200 });
      const b = new PostgresBroker({ url: POSTGRES_URL, table, pollIntervalMs: 200 });
      try {
        const onB = createRecorder();
        await b.subscribe(onB.handlers, { topics: ["orders/*"] });
        const stored = await a.publish({ topics: ["orders/42"], event: "order.updated", data: "{}" });
        await waitFor("node B to receive node A's event", () => onB.events.length === 1);
        expect(onB.ids()).toEqual([stored.id]);
        expect(onB.topics).toEqual(["orders/42"]);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });

  test.skipIf(SKIP_POSTGRES)(
    "lets a client of node A resume on node B after A is killed with exactly the events it missed",
    async () => {
      await withTable(async (table) => {
        const nodeB = new PostgresBroker({ url: POSTGRES_URL, table, pollIntervalMs: 200 });
        await nodeB.ready();
        const child = spawn(process.execPath, [NODE_SCRIPT, POSTGRES_URL, table, SUBSCRIBED.join(","), TOPICS.join(",")], {
          stdio: ["ignore", "pipe", "inherit"],
        });
        let ready = false;
        const receivedOnA: string[] = [];
        let buffered = "";
        child.stdout.setEncoding("utf8");
        child.stdout.on("data", (chunk: string) => {
          buffered += chunk;
          const lines = buffered.split("\n");
          buffered = lines.pop() ?? "";
          for (const line of lines) {
            const message = JSON.parse(line) as { ready?: true; received?: string };
            if (message.ready === true) ready = true;
            if (message.received !== undefined) receivedOnA.push(message.received);
          }
        });
        let publishing = true;
        try {
          await waitFor("node A to subscribe", () => ready || child.exitCode !== null, 20_000);
          const onB = (async (): Promise<void> => {
            for (let index = 0; publishing; index += 1) {
              await nodeB.publish({ topics: [TOPICS[(index * 3) % TOPICS.length] as string], data: `B${index}` });
            }
          })();
          await waitFor("node A's client to receive 50 events", () => receivedOnA.length >= 50, 20_000);
          const exited = new Promise((resolve) => child.once("exit", resolve));
          child.kill("SIGKILL");
          await exited;
          const lastSeen = receivedOnA.at(-1) as string;
          const resumed = createRecorder();
          const subscription = await nodeB.subscribe(resumed.handlers, { topics: SUBSCRIBED, lastEventId: lastSeen });
          await waitFor("more events on B", () => resumed.events.length >= 20);
          publishing = false;
          await onB;
          const sql = openSql(1);
          let expected: string[];
          try {
            const rows = await sql.unsafe(
              `select distinct on (txid, seq) (select epoch from ${table}_meta) || '-' || txid || '-' || seq as id from ${table}
               where topic = 'a' or topic like 'b/%' order by txid, seq`,
            );
            expected = (rows as unknown as { id: string }[]).map((row) => row.id).sort(comparePostgresEventIds);
          } finally {
            await sql.end({ timeout: 1 });
          }
          await waitFor("the newest event on B", () => resumed.ids().at(-1) === expected.at(-1));
          expect(subscription.gap).toBeUndefined();
          expect(subscription.cursor).toBe(lastSeen);
          expect([...receivedOnA, ...resumed.ids()]).toEqual(expected);
        } finally {
          publishing = false;
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
          await nodeB.close();
        }
      });
    },
    60_000,
  );
});
