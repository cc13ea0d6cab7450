import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Broker, MemoryBroker, SseError } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { openStream, trigger, withServer } from "./support/server.ts";

function withWebRoot<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "events-web-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>events web</title><script type=module src=/main.js></script>");
  writeFileSync(join(dir, "main.js"), "console.log('hi');");
  return body(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

describe("the web client at /", () => {
  test("serves the built page and its script with the right content types", async () => {
    await withWebRoot(async (webRoot) => {
      await withServer({ webRoot }, async (url) => {
        const page = await fetch(url);
        expect(page.status).toBe(200);
        expect(page.headers.get("content-type")).toMatch(/^text\/html/);
        expect(await page.text()).toContain("<title>events web</title>");
        const script = await fetch(new URL("/main.js", url));
        expect(script.headers.get("content-type")).toMatch(/^text\/javascript/);
        expect(await script.text()).toContain("console.log");
      });
    });
  });

  test("forbids framing the page and sniffing the types of its files", async () => {
    await withWebRoot(async (webRoot) => {
      await withServer({ webRoot }, async (url) => {
        for (const path of ["/", "/index.html", "/main.js"]) {
          const answer = await fetch(new URL(path, url));
          await answer.arrayBuffer();
          expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
          expect(answer.headers.get("content-security-policy")).toBe("frame-ancestors 'none'");
          expect(answer.headers.get("x-frame-options")).toBe("DENY");
        }
      });
    });
  });

  test("serves a page explaining how to build the client when it is missing", async () => {
    await withServer({ webRoot: "/nonexistent/web/dist" }, async (url) => {
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("bun run --cwd packages/web build");
    });
  });

  test("answers an unknown path with a JSON 404", async () => {
    await withServer({}, async (url) => {
      const answer = await fetch(new URL("/no/such/thing", url));
      expect(answer.status).toBe(404);
      expect(await answer.json()).toEqual({ error: { code: "NOT_FOUND", message: expect.stringContaining("no such endpoint") } });
    });
  });

  test("answers a known path asked with the wrong method with a JSON 405 and Allow", async () => {
    await withServer({}, async (url) => {
      const cases = [
        ["GET", "/events/trigger", "/events/trigger", "POST"],
        ["DELETE", "/events/trigger/", "/events/trigger", "POST"],
        ["POST", "/events/stream", "/events/stream", "GET, HEAD"],
        ["PUT", "/healthz?x=1", "/healthz", "GET, HEAD"],
        ["POST", "/metrics", "/metrics", "GET, HEAD"],
      ] as const;
      for (const [method, path, pathname, allow] of cases) {
        const answer = await fetch(new URL(path, url), { method });
        expect(answer.status).toBe(405);
        expect(answer.headers.get("allow")).toBe(allow);
        expect(await answer.json()).toEqual({
          error: { code: "METHOD_NOT_ALLOWED", message: `${method} is not allowed on ${pathname}; use ${allow}` },
        });
      }
    });
  });
});

describe("/openapi.json", () => {
  test("describes the trigger and the stream with the shared schemas", async () => {
    await withServer({}, async (url) => {
      const spec = (await (await fetch(new URL("/openapi.json", url))).json()) as {
        paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, unknown> }>>;
      };
      const triggerOp = spec.paths["/events/trigger"]?.["post"];
      expect(triggerOp?.requestBody?.content["application/json"]?.schema).toMatchObject({
        type: "object",
        required: ["message"],
        properties: { message: { type: "string", minLength: 1 } },
      });
      expect(Object.keys(triggerOp?.responses ?? {})).toEqual(expect.arrayContaining(["200", "400", "401", "413", "415", "422", "503"]));
      expect(spec.paths["/events/stream"]?.["get"]?.responses["200"]).toMatchObject({ content: { "text/event-stream": {} } });
      expect(Object.keys(spec.paths)).not.toContain("/main.js");
    });
  });
});

describe("/healthz", () => {
  test("reports ok with the broker's own detail", async () => {
    await withServer({}, async (url) => {
      const answer = await fetch(new URL("/healthz", url));
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ status: "ok", broker: { ok: true }, clients: 0 });
    });
  });

  test("answers 503 while the broker cannot store events, and so does a trigger", async () => {
    // Both ways a trigger stores: through publish's promise (e.g. Redis) and at once (publishSync).
    for (const stores of ["async", "sync"] as const) {
      const memory = new MemoryBroker();
      let up = true;
      const down = (): SseError => new SseError("BROKER_UNAVAILABLE", "test: broker down");
      type Input = Parameters<MemoryBroker["publish"]>[0];
      const broker: Broker = {
        health: () => (up ? memory.health() : { ok: false, detail: "test: broker down" }),
        publish: (input: Input) => (up ? memory.publish(input) : Promise.reject(down())),
        ...(stores === "sync"
          ? {
              publishSync: (input: Input) => {
                if (up) return memory.publishSync(input);
                throw down();
              },
            }
          : {}),
        subscribe: (handlers, options) => memory.subscribe(handlers, options),
        get subscriberCount() {
          return memory.subscriberCount;
        },
        close: () => memory.close(),
      };
      await withServer(
        {},
        async (url) => {
          expect((await trigger(url, "stored")).status).toBe(200);
          up = false;
          const health = await fetch(new URL("/healthz", url));
          expect(health.status).toBe(503);
          expect(await health.json()).toMatchObject({ status: "degraded", broker: { ok: false, detail: "test: broker down" } });
          const refused = await trigger(url, "lost?");
          expect(refused.status).toBe(503);
          expect(refused.body.error?.code).toBe("BROKER_UNAVAILABLE");
          expect(memory.historyLength).toBe(1);
        },
        { broker },
      );
    }
  });
});

describe("/metrics", () => {
  test("counts clients, published and delivered events, replays and gaps", async () => {
    await withServer({}, async (url) => {
      const a = await openStream(url);
      const b = await openStream(url);
      try {
        await Promise.all([a.waitForEvents("connected", 1), b.waitForEvents("connected", 1)]);
        const first = await trigger(url, "one");
        await trigger(url, "two");
        await Promise.all([a.waitForEvents("message", 2), b.waitForEvents("message", 2)]);
        const resumed = await openStream(url, { lastEventId: first.body.id ?? "" });
        await resumed.waitForEvents("message", 1);
        const gapped = await openStream(url, { lastEventId: "garbage" });
        await gapped.waitForEvents("gap", 1);
        const response = await fetch(new URL("/metrics", url));
        expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
        const text = await response.text();
        expect(text).toMatch(/^events_clients_connected 4$/m);
        expect(text).toMatch(/^events_published_total 2$/m);
        expect(text).toMatch(/^events_delivered_total 7$/m);
        expect(text).toMatch(/^events_replayed_total 3$/m);
        expect(text).toMatch(/^events_gaps_total 1$/m);
        expect(text).toMatch(/^events_slow_client_disconnects_total 0$/m);
        expect(text).toMatch(/^# TYPE events_triggers_rejected_total counter$/m);
        resumed.close();
        gapped.close();
      } finally {
        a.close();
        b.close();
      }
    });
  });
});
