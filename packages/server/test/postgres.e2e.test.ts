// `--broker postgres` from the command line, as real processes: a node that triggers and
// streams over a table of its own, two nodes sharing one table, the URL's password kept out of
// the log, and a clear start-up failure when Postgres cannot be reached.
import postgres from "postgres";
import { describe, expect, test } from "vitest";
import { denoMissing } from "./support/deno.ts";
import { freePort } from "./support/free-port.ts";
import { POSTGRES_URL, skipWithoutPostgres, uniqueTable } from "./support/postgres.ts";
import { spawnServer, startServerProcess, within } from "./support/server-process.ts";
import { openStream, trigger } from "./support/server.ts";

const postgresMissing = await skipWithoutPostgres("the Postgres server tests");
const noDeno = postgresMissing || denoMissing("the Deno node of the Postgres server tests");

/** The flags of a node on `table`. */
function nodeArgs(table: string, url = POSTGRES_URL): string[] {
  return ["--http-port", "0", "--host", "127.0.0.1", "--web-root", "/nonexistent", "--broker", "postgres", "--postgres-url", url, "--postgres-table", table];
}

/** Runs `body` with a table name of its own, and drops what the nodes created under it. */
async function withTable(body: (table: string) => Promise<void>): Promise<void> {
  const table = uniqueTable("server_e2e");
  try {
    await body(table);
  } finally {
    const sql = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
    try {
      // The broker's objects are all named after its table (packages/postgres-broker README).
      await sql.unsafe(`drop table if exists ${table}, ${table}_meta, ${table}_topics cascade`);
      await sql.unsafe(`drop sequence if exists ${table}_seq`);
      await sql.unsafe(`drop function if exists ${table}_new_epoch() cascade`);
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
}

describe("--broker postgres", () => {
  test.skipIf(postgresMissing)("creates its table at start-up, then streams what it is triggered", () => withTable(async (table) => {
    const server = await startServerProcess({ args: nodeArgs(table) });
    try {
      const stream = await openStream(server.listening, { query: "?topic=orders/1" });
      try {
        await stream.waitForEvents("connected", 1);
        expect((await trigger(server.listening, "to the default topic")).status).toBe(200);
        const published = await fetch(new URL("/events/publish", server.listening), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ topic: "orders/1", event: "order.updated", data: { status: "paid" } }),
        });
        expect(published.status).toBe(200);
        const [event] = await stream.waitForEvents("order.updated", 1, 10_000);
        expect(event).toMatchObject({ topic: "orders/1", data: '{"status":"paid"}' });
        expect(stream.events.map((e) => e.type)).toEqual(["connected", "order.updated"]);
      } finally {
        stream.close();
      }
      expect(server.output()).toContain("(broker: postgres)");
    } finally {
      await server.stop("SIGTERM");
    }
  }), 30_000);

  test.skipIf(postgresMissing)("lets a client on node B receive node A's trigger, and resume on B what A stored", () => withTable(async (table) => {
    const [nodeA, nodeB] = await Promise.all([startServerProcess({ args: nodeArgs(table) }), startServerProcess({ args: nodeArgs(table) })]);
    try {
      const onB = await openStream(nodeB.listening);
      let cursor: string;
      try {
        await onB.waitForEvents("connected", 1);
        expect((await trigger(nodeA.listening, "from A")).status).toBe(200);
        const [seen] = await onB.waitForEvents("message", 1, 10_000);
        expect(onB.messages()).toEqual(["from A"]);
        cursor = seen?.lastEventId ?? "";
      } finally {
        onB.close();
      }
      for (let i = 0; i < 5; i++) expect((await trigger(nodeA.listening, `missed-${i}`)).status).toBe(200);
      const resumed = await openStream(nodeB.listening, { lastEventId: cursor });
      try {
        await resumed.waitForEvents("message", 5, 10_000);
        expect((await trigger(nodeA.listening, "live")).status).toBe(200);
        await resumed.waitForEvents("message", 6, 10_000);
        expect(resumed.messages()).toEqual(["missed-0", "missed-1", "missed-2", "missed-3", "missed-4", "live"]);
      } finally {
        resumed.close();
      }
    } finally {
      await Promise.all([nodeA.stop("SIGTERM"), nodeB.stop("SIGTERM")]);
    }
  }), 45_000);

  test.skipIf(noDeno)("shares the table between a Bun node and a Deno node", () => withTable(async (table) => {
    const [onBun, onDeno] = await Promise.all([
      startServerProcess({ args: nodeArgs(table) }),
      startServerProcess({ runtime: "deno", args: nodeArgs(table) }),
    ]);
    try {
      const stream = await openStream(onDeno.listening);
      try {
        await stream.waitForEvents("connected", 1);
        expect((await trigger(onBun.listening, "from bun")).status).toBe(200);
        expect((await trigger(onDeno.listening, "from deno")).status).toBe(200);
        await stream.waitForEvents("message", 2, 10_000);
        expect(stream.messages()).toEqual(["from bun", "from deno"]);
      } finally {
        stream.close();
      }
      expect(onDeno.output()).toContain("(broker: postgres, runtime: deno)");
    } finally {
      await Promise.all([onBun.stop("SIGTERM"), onDeno.stop("SIGTERM")]);
    }
  }), 60_000);

  test.skipIf(postgresMissing)("logs the URL with its password masked, and nowhere in clear", () => withTable(async (table) => {
    // Trust authentication ignores the password, so the node starts with it in its URL.
    const password = "pg-pass-e2e-3c9d";
    const url = new URL(POSTGRES_URL);
    url.password = password;
    const server = await startServerProcess({ args: nodeArgs(table, url.href) });
    try {
      expect((await trigger(server.listening, "hello")).status).toBe(200);
      expect(server.output()).toMatch(/configuration .*postgresUrl=postgres:\/\/[^ ]*:\[redacted\]@/);
    } finally {
      await server.stop("SIGTERM");
    }
    expect(server.output()).not.toContain(password);
  }), 30_000);
});

describe("--broker postgres without a database", () => {
  test("exits 1 at start-up, naming the masked URL and the fix", async () => {
    const url = `postgres://app:pg-pass-e2e-91aa@127.0.0.1:${await freePort()}/app`;
    const server = spawnServer({ args: nodeArgs("events_history", url) });
    try {
      expect(await within(server.exited, 20_000, "the process to exit")).toBe(1);
      const output = server.output();
      expect(output).toContain(
        `events server cannot start: ServerOptionsError: --broker postgres cannot use Postgres at postgres://app:[redacted]@127.0.0.1:${new URL(url).port}/app to set up table "events_history" (`,
      );
      expect(output).toContain("check that it runs and that --postgres-url or DATABASE_URL names a database");
      expect(output).not.toContain("pg-pass-e2e-91aa");
      expect(output).not.toContain("listening on");
    } finally {
      await server.stop();
    }
  }, 30_000);

  test("exits 2 when --broker postgres has no URL", async () => {
    const server = spawnServer({ args: ["--broker", "postgres"], inheritEnv: false });
    try {
      expect(await within(server.exited, 15_000, "the process to exit")).toBe(2);
      expect(server.output().trim()).toBe("events-server: --broker postgres needs --postgres-url URL or DATABASE_URL (e.g. postgres://user@127.0.0.1:5432/app)");
    } finally {
      await server.stop();
    }
  }, 30_000);
});
