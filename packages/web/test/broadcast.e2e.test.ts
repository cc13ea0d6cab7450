import { describe, expect, test } from "vitest";
import { E2E_TIMEOUT_MS, SKIP_BROWSER, withBrowser } from "./browser.ts";
import { openClientPage } from "./client-page.ts";
import { withServer } from "./server.ts";

describe("web client: broadcast", () => {
  test.skipIf(SKIP_BROWSER)("shows a message sent from one page in both pages", async () => {
    await withServer({}, (server) =>
      withBrowser(async (browser) => {
        const alice = await openClientPage(browser, server.url);
        const bob = await openClientPage(browser, server.url);
        await alice.page.fill("#message", "hello from alice");
        await alice.page.press("#message", "Enter");
        await alice.waitForMessage("hello from alice");
        await bob.waitForMessage("hello from alice");
        expect(await alice.page.inputValue("#message")).toBe("");
        // The event can arrive over the stream before the send's own HTTP answer is shown.
        await alice.page.waitForFunction(() => document.getElementById("send-result")?.textContent?.startsWith("Sent"));
        expect(await alice.page.textContent("#send-result")).toMatch(/^Sent · Event broadcast to 2 clients · id \S+/);
        const id = await bob.page.locator('#log .entry[data-type="message"] .id').first().textContent();
        expect(id).toBeTruthy();
        expect(await bob.page.locator('#log .entry[data-type="connected"] .text').first().textContent()).toMatch(
          /^Connection established · [12] clients? connected$/,
        );
        expect([...alice.errors, ...bob.errors]).toEqual([]);
      }),
    );
  }, E2E_TIMEOUT_MS);

  test.skipIf(SKIP_BROWSER)("shows an HTML message as text and runs no script", async () => {
    const payload = '<img src=x onerror=alert(1)><script>window.__pwned = true</script>"quoted"\nsecond line';
    await withServer({}, (server) =>
      withBrowser(async (browser) => {
        const sender = await openClientPage(browser, server.url);
        const viewer = await openClientPage(browser, server.url);
        await sender.page.fill("#message", payload);
        await sender.page.click("#send");
        await viewer.waitForMessage(payload);
        for (const client of [sender, viewer]) {
          expect(await client.messages()).toEqual([payload]);
          expect(await client.page.locator("#log img, #log script").count()).toBe(0);
          expect(await client.page.evaluate(() => "__pwned" in window)).toBe(false);
          expect(client.dialogs).toEqual([]);
        }
        // The same payload through the API (not typed in the page) is just as inert.
        await server.trigger(payload.replace("alert(1)", "alert(2)"));
        await viewer.waitForMessage(payload.replace("alert(1)", "alert(2)"));
        expect(await viewer.page.locator("#log img").count()).toBe(0);
        expect(viewer.dialogs).toEqual([]);
      }),
    );
  }, E2E_TIMEOUT_MS);

  test.skipIf(SKIP_BROWSER)("does not send an empty or blank message", async () => {
    await withServer({}, (server) =>
      withBrowser(async (browser) => {
        const client = await openClientPage(browser, server.url);
        let posts = 0;
        client.page.on("request", (request) => {
          if (request.method() === "POST") posts += 1;
        });
        await client.page.press("#message", "Enter");
        await client.page.fill("#message", "   ");
        await client.page.click("#send");
        expect(await client.page.textContent("#send-result")).toBe("Nothing to send: type a message first.");
        await client.page.fill("#message", "not empty");
        await client.page.press("#message", "Enter");
        await client.waitForMessage("not empty");
        expect(posts).toBe(1);
        expect(await client.messages()).toEqual(["not empty"]);
      }),
    );
  }, E2E_TIMEOUT_MS);
});
