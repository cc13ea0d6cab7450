import { describe, expect, test } from "vitest";
import { comparePostgresEventIds } from "../src/event-id.ts";
import { PostgresBroker } from "../src/postgres-broker.ts";
import { createRecorder, openSql, POSTGRES_URL, SKIP_POSTGRES, waitFor, withTable } from "./support/postgres.ts";
import { startTcpProxy, type TcpProxy } from "./support/tcp-proxy.ts";

/** How long the proxied node stays cut off, at least (a restart-like outage). */
const OUTAGE_MS = 1000;
/** A publish during the outage must settle within this (it must never hang). */
const PUBLISH_SETTLES_MS = 3000;
const FAILURE_CODES = ["BROKER_UNAVAILABLE", "PUBLISH_UNCONFIRMED"];

/** The ids of every event in the table, in id order, read directly (the truth). */
async function storedIds(table: string): Promise<string[]> {
  const sql = openSql(1);
  try {
    const rows = await sql.unsafe(
      `select distinct on (txid, seq) (select epoch from ${table}_meta) || '-' || txid || '-' || seq as id from ${table} order by txid, seq`,
    );
    return (rows as unknown as { id: string }[]).map((row) => row.id).sort(comparePostgresEventIds);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Settles `promise`, or fails if it takes longer than `ms` (a hang). */
async function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<PromiseSettledResult<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`a publish still pending after ${ms} ms`)), ms);
  });
  const settled = promise.then(
    (value): PromiseSettledResult<T> => ({ status: "fulfilled", value }),
    (reason: unknown): PromiseSettledResult<T> => ({ status: "rejected", reason }),
  );
  try {
    return await Promise.race([settled, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Asserts a publish failed the way an outage must fail it. */
function expectOutageFailure(result: PromiseSettledResult<unknown>): void {
  expect(result.status).toBe("rejected");
  const failure = (result as PromiseRejectedResult).reason as { name?: string; code?: string };
  expect(failure.name).toBe("SseError");
  expect(FAILURE_CODES).toContain(failure.code);
}

interface Nodes {
  readonly table: string;
  readonly proxy: TcpProxy;
  /** A node whose every connection goes through the proxy. */
  readonly proxied: PostgresBroker;
  /** Its background errors (reader, trimmer). */
  readonly errors: unknown[];
  /** A second node connected directly. */
  readonly nodeTwo: PostgresBroker;
}

/** Runs `body` with a proxied node and a direct node on a fresh table; everything closed afterwards. */
async function withProxiedNodes(body: (nodes: Nodes) => Promise<void>): Promise<void> {
  const target = new URL(POSTGRES_URL);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const proxiedUrl = new URL(POSTGRES_URL);
  proxiedUrl.hostname = "127.0.0.1";
  proxiedUrl.port = String(proxy.port);
  try {
    await withTable(async (table) => {
      const errors: unknown[] = [];
      const proxied = new PostgresBroker({
        url: proxiedUrl.href,
        table,
        pollIntervalMs: 200,
        connectTimeoutMs: 1000,
        onError: (error) => errors.push(error),
      });
      const nodeTwo = new PostgresBroker({ url: POSTGRES_URL, table, pollIntervalMs: 200 });
      try {
        await proxied.ready();
        await nodeTwo.ready();
        await body({ table, proxy, proxied, errors, nodeTwo });
      } finally {
        await proxied.close();
        await nodeTwo.close();
      }
    });
  } finally {
    await proxy.close();
  }
}

/** Keeps the proxy cut for at least OUTAGE_MS and until the proxied node's reader failed twice. */
async function stayDown(nodes: Nodes, outageStarted: number, errorsAtCut: number): Promise<void> {
  await waitFor(
    "the proxied node's reader to fail twice during the outage",
    () => nodes.errors.length >= errorsAtCut + 2 && Date.now() - outageStarted >= OUTAGE_MS,
  );
}

describe("PostgresBroker through a database outage", () => {
  test.skipIf(SKIP_POSTGRES)(
    "keeps its subscription open while every connection is cut and refused, then delivers what another node stored meanwhile, once and in order",
    async () => {
      await withProxiedNodes(async (nodes) => {
        const { table, proxy, proxied, nodeTwo } = nodes;
        const recorder = createRecorder();
        await proxied.subscribe(recorder.handlers);
        const published: string[] = [];
        for (let index = 0; index < 3; index += 1) published.push((await proxied.publish({ data: `before-proxied-${index}` })).id);
        for (let index = 0; index < 2; index += 1) published.push((await nodeTwo.publish({ data: `before-two-${index}` })).id);
        await waitFor("the events published before the outage", () => recorder.events.length === published.length);
        expect(proxy.accepted).toBeGreaterThan(0);

        await proxy.cut();
        const outageStarted = Date.now();
        const errorsAtCut = nodes.errors.length;
        for (let index = 0; index < 5; index += 1) published.push((await nodeTwo.publish({ data: `during-two-${index}` })).id);
        expectOutageFailure(await settlesWithin(proxied.publish({ data: "during-proxied" }), PUBLISH_SETTLES_MS));
        // The reader notices within pollIntervalMs (a failed publish alone does not flip health).
        await waitFor("health to report the outage", () => !proxied.health().ok, 2000);
        await stayDown(nodes, outageStarted, errorsAtCut);
        expectOutageFailure(await settlesWithin(proxied.publish({ data: "still-down" }), PUBLISH_SETTLES_MS));
        expect(proxied.health().ok).toBe(false);
        expect(recorder.events.length).toBe(5);
        expect(recorder.closes).toBe(0);

        await proxy.restore();
        // A PUBLISH_UNCONFIRMED event may have been stored: the table is the truth.
        const afterOutage = await storedIds(table);
        await waitFor("every event stored during the outage", () => recorder.events.length >= afterOutage.length);
        for (let index = 0; index < 2; index += 1) published.push((await proxied.publish({ data: `after-proxied-${index}` })).id);
        published.push((await nodeTwo.publish({ data: "after-two" })).id);
        const expected = await storedIds(table);
        await waitFor("the events published after the outage", () => recorder.events.length >= expected.length);
        await waitFor("health to recover", () => proxied.health().ok);

        expect(recorder.ids()).toEqual(expected);
        expect(recorder.ids().slice(0, afterOutage.length)).toEqual(afterOutage);
        for (const id of published) expect(recorder.ids()).toContain(id);
        expect(recorder.openings.length).toBe(1);
        expect(recorder.closes).toBe(0);
        expect(proxied.subscriberCount).toBe(1);
      });
    },
    30_000,
  );

  test.skipIf(SKIP_POSTGRES)(
    "settles every publish in flight when the connections are cut, and its subscriber gets exactly what the table holds",
    async () => {
      await withProxiedNodes(async (nodes) => {
        const { table, proxy, proxied, nodeTwo } = nodes;
        const recorder = createRecorder();
        await proxied.subscribe(recorder.handlers, { topics: ["orders/*"] });
        let phase: "before" | "during" | "after" = "before";
        const confirmed: string[] = [];
        const failures: PromiseSettledResult<unknown>[] = [];
        let failureCount = 0;
        // Set when the test ends, passed or failed: a publisher still looping would fail fast
        // against the cut proxy forever (an earlier version ran a CI machine out of memory).
        let stopped = false;
        const publisher = async (worker: number): Promise<void> => {
          for (let index = 0; !stopped && (phase !== "after" || index % 10 !== 0); index += 1) {
            const result = await settlesWithin(proxied.publish({ topics: [`orders/${worker}`], data: `${phase}-${worker}-${index}` }), PUBLISH_SETTLES_MS);
            if (result.status === "fulfilled") confirmed.push(result.value.id);
            else {
              failureCount += 1;
              // Every failure is checked at the end: the first 100, and any that is not an outage's.
              const code = (result.reason as { code?: string }).code;
              if (failures.length < 100 || !FAILURE_CODES.includes(code ?? "")) failures.push(result);
              // A refused publish can settle without I/O: without a timer turn between two, the
              // loop starves the event loop (the test's own timers included) and never ends.
              await new Promise((resolve) => setTimeout(resolve, 1));
            }
          }
        };
        const publishers = [0, 1, 2, 3].map(publisher);
        try {
        await waitFor("events delivered before the outage", () => recorder.events.length >= 20);

        const errorsAtCut = nodes.errors.length;
        await proxy.cut();
        phase = "during";
        const outageStarted = Date.now();
        const deliveredAtCut = recorder.events.length;
        for (let index = 0; index < 5; index += 1) confirmed.push((await nodeTwo.publish({ topics: ["orders/two"], data: `during-two-${index}` })).id);
        await stayDown(nodes, outageStarted, errorsAtCut);
        expect(proxied.health().ok).toBe(false);
        expect(recorder.events.length).toBe(deliveredAtCut);
        expect(failureCount).toBeGreaterThan(0);

        await proxy.restore();
        phase = "after";
        await Promise.all(publishers);
        const expected = await storedIds(table);
        await waitFor("every stored event", () => recorder.events.length >= expected.length);
        await waitFor("health to recover", () => proxied.health().ok);

        for (const failure of failures) expectOutageFailure(failure);
        expect(recorder.ids()).toEqual(expected);
        for (const id of confirmed) expect(expected).toContain(id);
        expect(recorder.openings.length).toBe(1);
        expect(recorder.closes).toBe(0);
        } finally {
          stopped = true;
          await Promise.allSettled(publishers);
        }
      });
    },
    30_000,
  );
});
