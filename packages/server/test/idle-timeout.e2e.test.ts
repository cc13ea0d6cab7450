// A stream of the plugin stays open past Bun's default idle timeout (10 s) when the host serves
// with a plain `Bun.serve({ fetch: app.fetch })`, default options: the server is not reachable
// from the request there, and the plugin's keepalive comments (every 5 s by default) keep the
// connection busy. One real socket, one real wait of 12 s: the timeout is Bun's own clock.
import { Elysia } from "elysia";
import { describe, expect, test } from "vitest";
import { eventsPlugin } from "../src/plugins/events-plugin.ts";
import { openStream } from "./support/server.ts";

describe("a plugin stream under Bun.serve({ fetch: app.fetch }) with default options", () => {
  test("stays open past Bun's 10 s idle timeout and still delivers", async () => {
    const controller = new AbortController();
    const plugin = eventsPlugin({ signal: controller.signal });
    const app = new Elysia().get("/", () => "host").use(plugin);
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch });
    try {
      const stream = await openStream(new URL(`http://127.0.0.1:${server.port}/`));
      await stream.waitForEvents("connected", 1);
      const quiet = new Promise<void>((resolve) => setTimeout(resolve, 12_000));
      const outcome = await Promise.race([quiet.then(() => "open" as const), stream.closed]);
      expect(outcome).toBe("open");
      await plugin.publisher.publish("events", "message", { message: "still here" });
      await stream.waitForEvents("message", 1);
      expect(stream.messages()).toEqual(["still here"]);
      expect(stream.comments.length).toBeGreaterThanOrEqual(2);
      stream.close();
    } finally {
      controller.abort();
      await server.stop(true);
    }
  }, 20_000);
});
