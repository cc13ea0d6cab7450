import { describe, expect, test } from "vitest";
import { E2E_TIMEOUT_MS, SKIP_BROWSER, withBrowser } from "./browser.ts";
import { openClientPage } from "./client-page.ts";
import { withServer } from "./server.ts";

describe("web client: accessibility and layout", () => {
  test.skipIf(SKIP_BROWSER)("names every control and announces the log and the status", async () => {
    await withServer({}, (server) =>
      withBrowser(async (browser) => {
        const { page } = await openClientPage(browser, server.url);
        expect(await page.getByRole("button", { name: "Connect", exact: true }).count()).toBe(1);
        expect(await page.getByRole("button", { name: "Disconnect", exact: true }).count()).toBe(1);
        expect(await page.getByRole("button", { name: "Send", exact: true }).count()).toBe(1);
        expect(await page.getByRole("textbox", { name: "Message", exact: true }).count()).toBe(1);
        expect(await page.getByRole("log", { name: "Event log", exact: true }).getAttribute("aria-live")).toBe("polite");
        expect(await page.getByRole("status").first().getAttribute("id")).toBe("status");
        expect(await page.locator("script:not([src])").count()).toBe(0);
        expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content")).toContain(
          "script-src 'self'",
        );
        expect(await page.getAttribute("html", "lang")).toBe("en");
      }),
    );
  }, E2E_TIMEOUT_MS);

  test.skipIf(SKIP_BROWSER)("can be used with the keyboard alone, with a visible focus ring", async () => {
    await withServer({}, (server) =>
      withBrowser(async (browser) => {
        const client = await openClientPage(browser, server.url);
        const { page } = client;
        const focused = (): Promise<string | undefined> => page.evaluate(() => document.activeElement?.id);
        for (let presses = 0; presses < 10 && (await focused()) !== "message"; presses += 1) await page.keyboard.press("Tab");
        expect(await focused()).toBe("message");
        const outline = await page.evaluate(() => {
          const style = getComputedStyle(document.activeElement as Element);
          return `${style.outlineStyle} ${style.outlineWidth}`;
        });
        expect(outline).toBe("solid 3px");
        await page.keyboard.type("typed, never clicked");
        await page.keyboard.press("Shift+Enter");
        await page.keyboard.type("second line");
        await page.keyboard.press("Enter");
        await client.waitForMessage("typed, never clicked\nsecond line");
        expect(await focused()).toBe("message");
      }),
    );
  }, E2E_TIMEOUT_MS);

  test.skipIf(SKIP_BROWSER)("fits a phone-width screen without sideways scrolling", async () => {
    await withServer({}, (server) =>
      withBrowser(async (browser) => {
        const client = await openClientPage(browser, server.url, { width: 360, height: 740 });
        await server.trigger(`a-very-long-unbroken-word-${"x".repeat(300)}`);
        await server.trigger("a short one");
        await client.waitForMessage("a short one");
        const overflow = await client.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        for (const id of ["connect", "disconnect", "send", "message"]) {
          const box = await client.page.locator(`#${id}`).boundingBox();
          expect(box === null ? -1 : box.x + box.width).toBeLessThanOrEqual(360);
        }
      }),
    );
  }, E2E_TIMEOUT_MS);
});
