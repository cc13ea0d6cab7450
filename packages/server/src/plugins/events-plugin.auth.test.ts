// eventsPlugin with auth on, mounted in a host app: only the plugin's routes are guarded, the
// host's own stay as the host wrote them, and the authorize hook decides per request.
import { describe, expect, test } from "vitest";
import { bearer, signTestToken, TEST_JWT_SECRET } from "../../test/support/auth-token.ts";
import { errorOf, request } from "../../test/support/handle.ts";
import { createHostApp } from "../../test/support/host-app.ts";
import { firstEvents } from "../../test/support/stream-body.ts";

describe("eventsPlugin with auth on, in a host app", () => {
  test("guards its stream and publish routes, never the host's", async () => {
    const { app } = createHostApp({ jwtSecret: TEST_JWT_SECRET });
    expect(await (await request(app, "/")).text()).toBe("host home");
    const order = await request(app, "/api/orders/42", { method: "POST", headers: { "content-type": "application/json" }, body: '{"status":"paid"}' });
    expect(order.status).toBe(200);
    expect((await errorOf(await request(app, "/events/stream?topic=orders/42"))).status).toBe(401);
    const token = await signTestToken({ subscribe: ["orders/*"] });
    const stream = await request(app, "/events/stream?topic=orders/42", { headers: bearer(token) });
    expect(stream.status).toBe(200);
    await firstEvents(stream, 1);
  });

  test("asks authorize once per request, and falls back to the token when it answers undefined", async () => {
    const asked: string[] = [];
    const { app } = createHostApp({
      jwtSecret: TEST_JWT_SECRET,
      authorize: (incoming) => {
        asked.push(new URL(incoming.url).pathname);
        const user = incoming.headers.get("x-user");
        return user === null ? undefined : { subscribe: [`users/${user}/*`], publish: [] };
      },
    });
    const own = await request(app, "/events/stream?topic=users/7/*", { headers: { "x-user": "7" } });
    expect(own.status).toBe(200);
    await firstEvents(own, 1);
    expect(await errorOf(await request(app, "/events/stream?topic=users/8/*", { headers: { "x-user": "7" } }))).toMatchObject({ status: 403, code: "FORBIDDEN_TOPIC" });
    const byToken = await request(app, "/events/stream?topic=users/8/a", { headers: bearer(await signTestToken({ subscribe: ["users/8/*"] })) });
    expect(byToken.status).toBe(200);
    await firstEvents(byToken, 1);
    expect(asked).toEqual(["/events/stream", "/events/stream", "/events/stream"]);
  });

  test("refuses bad auth options when it is created", () => {
    expect(() => createHostApp({ jwtSecret: "short" })).toThrow("jwtSecret must be at least 32 bytes");
  });
});
