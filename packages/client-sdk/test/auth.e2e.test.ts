// Tokens against the real server started with --jwt-secret: a token function refreshes an
// expiring JWT and the stream resumes exactly once; 401 and 403 as typed errors. Tokens are
// signed in the test (the server tests' own signer, jose).
import { createEventsClient, EventsClientError, type StreamStatus } from "@events/client-sdk";
import { describe, expect, test } from "vitest";
import { signTestToken, TEST_JWT_SECRET } from "../../server/test/support/auth-token.ts";
import { withServer } from "./test-support/server-process.ts";

const AUTH_ARGS = ["--jwt-secret", TEST_JWT_SECRET];

/** Resolves once `predicate` accepts a status reported after this call. */
function statusWatcher(): { onStatus: (status: StreamStatus) => void; next(predicate: (status: StreamStatus) => boolean): Promise<StreamStatus> } {
  const waiters: Array<{ predicate: (status: StreamStatus) => boolean; resolve: (status: StreamStatus) => void }> = [];
  return {
    onStatus: (status) => {
      for (const waiter of [...waiters]) {
        if (!waiter.predicate(status)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(status);
      }
    },
    next: (predicate) => new Promise((resolve) => waiters.push({ predicate, resolve })),
  };
}

describe("tokens against the real server", () => {
  test("a token function refreshes a token that expires mid-stream, and every event arrives once, in order", async () => {
    await withServer(async (server) => {
      let minted = 0;
      // The first token lives ~2 s; every later one an hour.
      const token = (): Promise<string> => signTestToken({ subscribe: ["orders/*"], expiresInSeconds: ++minted === 1 ? 2 : 3600 });
      const watcher = statusWatcher();
      const client = createEventsClient(server.url, { token, onStatus: watcher.onStatus });
      const publisher = createEventsClient(server.url, { token: await signTestToken({ publish: ["orders/*"] }) });
      const publish = (text: string): Promise<unknown> => publisher.publish({ topic: "orders/1", data: { message: text } });

      const stream = client.stream({ topics: ["orders/1"] });
      const iterator = stream[Symbol.asyncIterator]();
      const seen: Array<{ type: string; id: string; text: unknown }> = [];
      const read = async (): Promise<void> => {
        const result = await iterator.next();
        if (result.done) throw new Error("the stream ended");
        const { type, id, data } = result.value;
        seen.push({ type, id, text: (data as { message?: unknown }).message });
      };
      await read();
      expect(seen[0]?.type).toBe("connected");

      const expired = watcher.next((status) => status.state === "reconnecting");
      await publish("before-1");
      await publish("before-2");
      await read();
      await read();
      // The stream works only while it is read: a pending read sees the expiry through, and
      // ends with the new connection's `connected` event.
      const reconnected = read();
      const reconnecting = await expired;
      expect(reconnecting).toMatchObject({ state: "reconnecting", reason: "auth-expired", delayMs: 0 });
      // Published while the stream reconnects, and after: replayed or live, never lost, never twice.
      await publish("during-reconnect");
      await publish("after-1");
      await reconnected;
      while (seen.filter((event) => event.type === "message").length < 4) await read();
      stream.close();

      const messages = seen.filter((event) => event.type === "message");
      expect(messages.map((event) => event.text)).toEqual(["before-1", "before-2", "during-reconnect", "after-1"]);
      expect(new Set(messages.map((event) => event.id)).size).toBe(4);
      expect(seen.map((event) => event.type)).not.toContain("auth-expired");
      expect(seen.filter((event) => event.type === "connected")).toHaveLength(2);
      expect(minted).toBe(2);
    }, AUTH_ARGS);
  }, 60_000);

  test("a topic outside the token fails the stream with 403 FORBIDDEN_TOPIC, without retrying", async () => {
    await withServer(async (server) => {
      let calls = 0;
      const client = createEventsClient(server.url, { token: () => (calls++, signTestToken({ subscribe: ["orders/*"] })) });
      const error = await client.stream({ topics: ["users/8/*"] })[Symbol.asyncIterator]().next().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EventsClientError);
      expect(error).toMatchObject({ code: "HTTP_ERROR", status: 403, serverCode: "FORBIDDEN_TOPIC" });
      expect(calls).toBe(1);
    }, AUTH_ARGS);
  }, 60_000);

  test("a refused token is tried once more with a fresh one, then fails with 401", async () => {
    await withServer(async (server) => {
      let calls = 0;
      const forged = (): Promise<string> => (calls++, signTestToken({ subscribe: ["orders/*"], secret: "another-secret-of-at-least-32-bytes!!" }));
      const client = createEventsClient(server.url, { token: forged });
      const error = await client.stream({ topics: ["orders/1"] })[Symbol.asyncIterator]().next().catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: "HTTP_ERROR", status: 401, serverCode: "INVALID_TOKEN" });
      expect(calls).toBe(2);
      const publishError = await client.publish({ topic: "orders/1", data: 1 }).catch((caught: unknown) => caught);
      expect(publishError).toMatchObject({ status: 401 });
      expect(calls).toBe(4);
    }, AUTH_ARGS);
  }, 60_000);
});
