import { describe, expect, test } from "vitest";
import { E2E_TIMEOUT_MS, SKIP_BROWSER, withBrowser } from "./browser.ts";
import { openClientPage } from "./client-page.ts";
import { withServer } from "./server.ts";
import { startTcpProxy } from "./tcp-proxy.ts";

const TOKEN = "s3cret-token";

describe("web client: failed sends", () => {
  test.skipIf(SKIP_BROWSER)("asks for the token on 401, shows the reason for a wrong one, and sends with the right one", async () => {
    await withServer({ triggerToken: TOKEN }, (server) =>
      withBrowser(async (browser) => {
        const client = await openClientPage(browser, server.url);
        expect(await client.page.isVisible("#token")).toBe(false);

        await client.page.fill("#message", "needs a token");
        const [first] = await Promise.all([
          client.page.waitForRequest((request) => request.url().endsWith("/events/trigger")),
          client.page.press("#message", "Enter"),
        ]);
        // No token is sent until the server asks for one.
        expect(await first.headerValue("authorization")).toBeNull();
        await client.page.waitForFunction(() => document.getElementById("send-result")?.textContent?.startsWith("Not sent"));
        expect(await client.page.textContent("#send-result")).toMatch(/^Not sent \(401 [A-Z_]+\): .+/);
        expect(await client.page.isVisible("#token")).toBe(true);
        expect(await client.page.evaluate(() => document.activeElement?.id)).toBe("token");
        expect(await client.page.inputValue("#message")).toBe("needs a token");

        await client.page.fill("#token", "wrong-token");
        const [answer] = await Promise.all([
          client.page.waitForResponse((response) => response.url().endsWith("/events/trigger")),
          client.page.click("#send"),
        ]);
        expect(answer.status()).toBe(401);
        expect(await answer.request().headerValue("authorization")).toBe("Bearer wrong-token");
        await client.page.waitForFunction(() => document.getElementById("send-form")?.getAttribute("aria-busy") === "false");
        expect(await client.page.textContent("#send-result")).toMatch(/^Not sent \(401 [A-Z_]+\): .+/);
        expect(await client.messages()).toEqual([]);

        await client.page.fill("#token", TOKEN);
        await client.page.click("#send");
        await client.waitForMessage("needs a token");
        expect(await client.page.textContent("#send-result")).toMatch(/^Sent · /);
        // Kept for this tab only.
        expect(await client.page.evaluate(() => sessionStorage.getItem("events.triggerToken"))).toBe(TOKEN);
        expect(await client.page.evaluate(() => localStorage.length)).toBe(0);
      }),
    );
  }, E2E_TIMEOUT_MS);

  test.skipIf(SKIP_BROWSER)("shows the server's reason for a message that is too long", async () => {
    await withServer({}, (server) =>
      withBrowser(async (browser) => {
        const client = await openClientPage(browser, server.url);
        await client.page.fill("#message", "x".repeat(20_000));
        await client.page.click("#send");
        await client.page.waitForFunction(() => document.getElementById("send-result")?.textContent?.startsWith("Not sent"));
        expect(await client.page.textContent("#send-result")).toMatch(/^Not sent \((413|422) [A-Z_0-9]+\): .+/);
        expect(await client.page.getAttribute("#send-result", "data-ok")).toBe("false");
        expect(await client.messages()).toEqual([]);
      }),
    );
  }, E2E_TIMEOUT_MS);

  test.skipIf(SKIP_BROWSER)("says the server cannot be reached when the network fails", async () => {
    await withServer({}, async (server) => {
      const proxy = startTcpProxy(server.port);
      try {
        await withBrowser(async (browser) => {
          const client = await openClientPage(browser, proxy.url);
          proxy.drop();
          await client.page.fill("#message", "into the void");
          await client.page.click("#send");
          await client.page.waitForFunction(() => document.getElementById("send-result")?.textContent?.startsWith("Not sent"));
          expect(await client.page.textContent("#send-result")).toMatch(/^Not sent: the server cannot be reached \(.+\)$/);
          expect(await client.page.inputValue("#message")).toBe("into the void");
        });
      } finally {
        proxy.stop();
      }
    });
  }, E2E_TIMEOUT_MS);
});
