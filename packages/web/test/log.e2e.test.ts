import { describe, expect, test } from "vitest";
import { E2E_TIMEOUT_MS, SKIP_BROWSER, withBrowser } from "./browser.ts";
import { openClientPage } from "./client-page.ts";
import { withServer } from "./server.ts";

describe("web client: event log", () => {
  test.skipIf(SKIP_BROWSER)("keeps only the newest 500 entries", async () => {
    await withServer({}, (server) =>
      withBrowser(async (browser) => {
        const client = await openClientPage(browser, server.url);
        for (let n = 0; n < 510; n += 1) await server.trigger(`m${n}`);
        await client.waitForMessage("m509");
        expect(await client.page.locator("#log > li").count()).toBe(500);
        const messages = await client.messages();
        expect(messages[0]).toBe("m10");
        expect(messages.at(-1)).toBe("m509");
        expect(await client.page.locator('#log .entry[data-type="connected"]').count()).toBe(0);
        expect(await client.page.textContent("#log-count")).toBe("last 500");
        expect(await client.page.textContent("#debug-received")).toBe("511");

        await client.page.click("#clear");
        expect(await client.page.locator("#log > li").count()).toBe(0);
        expect(await client.page.isVisible("#log-empty")).toBe(true);
      }),
    );
  }, E2E_TIMEOUT_MS);

  test.skipIf(SKIP_BROWSER)("shows each event's time, type and id", async () => {
    await withServer({}, (server) =>
      withBrowser(async (browser) => {
        const client = await openClientPage(browser, server.url);
        const id = await server.trigger("with an id");
        await client.waitForMessage("with an id");
        const entry = client.page.locator('#log .entry[data-type="message"]').first();
        expect(await entry.locator(".type").textContent()).toBe("message");
        expect(await entry.locator(".id").textContent()).toBe(id);
        expect(await entry.locator("time").textContent()).toMatch(/^\d\d:\d\d:\d\d$/);
        expect(await client.page.textContent("#debug-last-event-id")).toBe(id);
        const connected = client.page.locator('#log .entry[data-type="connected"]');
        expect(await connected.locator(".text").textContent()).toBe("Connection established · 1 client connected");
        expect(await connected.locator(".id").count()).toBe(1);
      }),
    );
  }, E2E_TIMEOUT_MS);
});
