import { createEventsClient, EventsClientError } from "@events/client-sdk";
import { describe, expect, test } from "vitest";
import { freePort, withServer } from "./test-support/server-process.ts";

describe("trigger against the real server", () => {
  test("resolves to the server's answer with the right token, and fails with its JSON error otherwise", async () => {
    await withServer(
      async (server) => {
        const result = await createEventsClient(server.url, { token: "s3cret" }).trigger("hello");
        expect(result).toEqual({ status: expect.stringContaining("Event broadcast"), id: expect.any(String), clients: 0 });

        const unauthorized = await createEventsClient(server.url, { token: "wrong" })
          .trigger("hello")
          .catch((error: unknown) => error);
        expect(unauthorized).toBeInstanceOf(EventsClientError);
        expect(unauthorized).toMatchObject({ code: "HTTP_ERROR", status: 401, body: { error: { code: expect.any(String) } } });

        const invalid = await createEventsClient(server.url, { token: "s3cret" })
          .trigger("")
          .catch((error: unknown) => error);
        expect(invalid).toMatchObject({ code: "HTTP_ERROR", body: { error: { message: expect.any(String) } } });
        expect((invalid as EventsClientError).status).toBeGreaterThanOrEqual(400);
        expect((invalid as EventsClientError).status).toBeLessThan(500);
      },
      ["--trigger-token", "s3cret"],
    );
  }, 60_000);

  test("fails with NETWORK_ERROR when nothing listens", async () => {
    const port = await freePort();
    const error = await createEventsClient(`http://127.0.0.1:${port}`)
      .trigger("hello")
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "NETWORK_ERROR" });
  });
});
