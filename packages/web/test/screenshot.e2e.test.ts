import { copyFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { E2E_TIMEOUT_MS, SKIP_BROWSER, withBrowser } from "./browser.ts";
import { openClientPage } from "./client-page.ts";
import { withServer } from "./server.ts";
import { startTcpProxy } from "./tcp-proxy.ts";

const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
/** The copy shown in the root README; refreshed only with `UPDATE_SCREENSHOTS=1` so test runs leave git clean. */
const DOCS_COPY = fileURLToPath(new URL("../../../docs/web-client.png", import.meta.url));

describe("web client: screenshot", () => {
  test.skipIf(SKIP_BROWSER)("renders a page with a few events (test-artifacts/page.png)", async () => {
    await withServer({}, async (server) => {
      const proxy = startTcpProxy(server.port);
      try {
        await withBrowser(async (browser) => {
          const client = await openClientPage(browser, proxy.url, { width: 1200, height: 940 });
          const { page } = client;
          await server.trigger("Deploy #418 started");
          await server.trigger('Build log:\n  ✓ 214 tests passed\n  ✓ bundle 8.9 kB');
          await server.trigger("<img src=x onerror=alert(1)> stays text");
          await client.waitForMessage("<img src=x onerror=alert(1)> stays text");

          proxy.drop();
          await client.waitForState("reconnecting");
          await server.trigger("Replica 2 healthy");
          await server.trigger("Traffic shifted to 100 %");
          proxy.restore();
          await client.waitForMessage("Traffic shifted to 100 %");
          await page.waitForFunction(() => document.getElementById("log")?.dataset.replaying === "false");

          await page.fill("#message", "Deploy #418 finished ✔");
          await page.press("#message", "Enter");
          await client.waitForMessage("Deploy #418 finished ✔");
          await page.locator("details.debug summary").click();
          await page.locator("#message").focus();
          expect(await page.locator("#log > li").count()).toBe(8);

          mkdirSync(ARTIFACTS, { recursive: true });
          // Crop to the content: no empty band below the cards.
          const height = await page.evaluate(() => Math.ceil(document.querySelector("main")?.getBoundingClientRect().bottom ?? 0) + 8);
          await page.screenshot({ path: `${ARTIFACTS}page.png`, clip: { x: 0, y: 0, width: 1200, height } });
          await page.setViewportSize({ width: 375, height: 740 });
          await page.screenshot({ path: `${ARTIFACTS}page-phone.png`, fullPage: true });
          if (process.env.UPDATE_SCREENSHOTS === "1") {
            mkdirSync(fileURLToPath(new URL(".", `file://${DOCS_COPY}`)), { recursive: true });
            copyFileSync(`${ARTIFACTS}page.png`, DOCS_COPY);
          }
          expect(client.dialogs).toEqual([]);
        });
      } finally {
        proxy.stop();
      }
    });
  }, E2E_TIMEOUT_MS);
});
