// events-cli knows nothing of the shop's contract: it publishes untyped JSON, which the
// plugin holds to the contract like any other publish, and a typed client receives it.
import { createEventsClient } from "@events/client-sdk";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { App } from "../src/app.ts";
import type { OrderUpdated } from "../src/events.ts";
import { withServedShop } from "./test-support/served-shop.ts";

/** events-cli from its source entry (the compiled `apps/cli/dist/events-cli` takes the same arguments). */
const CLI_ENTRY = join(import.meta.dir, "../../../apps/cli/src/main.ts");

async function runCli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = Bun.spawn([process.execPath, CLI_ENTRY, ...args], { stdout: "pipe", stderr: "pipe", env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" } });
  const [code, stdout, stderr] = await Promise.all([child.exited, new Response(child.stdout).text(), new Response(child.stderr).text()]);
  return { code, stdout, stderr };
}

describe("events-cli publishing to the shop", () => {
  test("publishes an order.updated given as JSON on the command line, which a typed client following the order receives", async () => {
    await withServedShop({ publishToken: "s3cret" }, async ({ url }) => {
      const update: OrderUpdated = { id: "7", item: "tea", quantity: 1, status: "shipped", updatedAt: "2026-12-06T10:00:00.000Z" };
      const client = createEventsClient<App>(url, { knownEvents: ["order.updated"] });
      const stream = client.stream({ topics: ["orders/7"] });
      const received: OrderUpdated[] = [];
      for await (const event of stream) {
        if (event.unknown) continue;
        if (event.type === "connected") {
          const args = ["--url", url, "--token", "s3cret", "events", "publish", "--topic", "orders/7", "--event", "order.updated", "--data", JSON.stringify(update)];
          const published = await runCli(args);
          expect(published).toMatchObject({ code: 0, stderr: "" });
          expect(published.stdout).toMatch(/^Published to orders\/7 \(id \S+, 1 clients?\)\n$/);
          continue;
        }
        if (event.type === "order.updated") {
          received.push(event.data);
          break;
        }
      }
      expect(received).toEqual([update]);
    });
  });

  test("exits 1 with the plugin's reason for JSON outside the contract, and for a missing token", async () => {
    await withServedShop({ publishToken: "s3cret" }, async ({ url }) => {
      const publish = ["events", "publish", "--topic", "orders/7", "--event", "order.updated", "--data", '{"id":"7","item":"tea","quantity":1,"status":"lost","updatedAt":"x"}'];
      const wrong = await runCli(["--url", url, "--token", "s3cret", ...publish]);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain("HTTP 422 VALIDATION_FAILED");
      expect(wrong.stderr).toContain("/data/status");
      const anonymous = await runCli(["--url", url, ...publish]);
      expect(anonymous.code).toBe(1);
      expect(anonymous.stderr).toContain("HTTP 401 UNAUTHORIZED");
    });
  });
});
