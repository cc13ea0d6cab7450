import { describe, expect, test } from "vitest";
import { E2E_TIMEOUT_MS, SKIP_BROWSER, withBrowser } from "./browser.ts";
import { openClientPage } from "./client-page.ts";
import { withServer } from "./server.ts";
import { startTcpProxy } from "./tcp-proxy.ts";

describe("web client: dropped streams and Disconnect", () => {
  test.skipIf(SKIP_BROWSER)("shows reconnecting while the stream is down and every event sent meanwhile after resume", async () => {
    await withServer({}, async (server) => {
      // The browser reaches the server through a proxy the test can cut; triggers go direct.
      const proxy = startTcpProxy(server.port);
      try {
        await withBrowser(async (browser) => {
          const client = await openClientPage(browser, proxy.url);
          await client.waitForState("open");
          await server.trigger("before the drop");
          await client.waitForMessage("before the drop");

          proxy.drop();
          await client.waitForState("reconnecting");
          expect(await client.page.textContent("#status")).toContain("Reconnecting…");
          const missed = ["missed 1", "missed 2\nwith a second line", "missed 3", "missed 4", "missed 5"];
          for (const message of missed) await server.trigger(message);
          // Wait for a refused retry so the page really was down while the events were sent.
          await client.page.waitForFunction(() => Number(document.getElementById("debug-reconnects")?.textContent) >= 2);
          expect(await client.messages()).toEqual(["before the drop"]);

          proxy.restore();
          await client.waitForState("open");
          for (const message of missed) await client.waitForMessage(message);
          await client.page.waitForFunction(() => document.getElementById("log")?.dataset.replaying === "false");
          expect(await client.messages()).toEqual(["before the drop", ...missed]);
          const replayed = await client.page.locator("#log .entry[data-replayed] .text").allTextContents();
          expect(replayed.reverse()).toEqual(missed);
          expect(await client.page.locator('#log .entry[data-type="connected"]').count()).toBe(2);

          await server.trigger("live after resume");
          await client.waitForMessage("live after resume");
          const live = client.page.locator('#log .entry[data-type="message"]').first();
          expect(await live.getAttribute("data-replayed")).toBeNull();
          expect(await client.messages()).toEqual(["before the drop", ...missed, "live after resume"]);
          // Only the failed loads of the dropped stream may be reported (Chromium names them
          // ERR_CONNECTION_* or ERR_SOCKET_NOT_CONNECTED by timing); nothing in the page may throw.
          expect(client.errors.filter((error) => !/Failed to load resource: net::ERR_/.test(error))).toEqual([]);
        });
      } finally {
        proxy.stop();
      }
    });
  }, E2E_TIMEOUT_MS);

  test.skipIf(SKIP_BROWSER)("shows a gap notice when history no longer reaches back to the last event seen", async () => {
    await withServer({ historySize: 3 }, async (server) => {
      const proxy = startTcpProxy(server.port);
      try {
        await withBrowser(async (browser) => {
          const client = await openClientPage(browser, proxy.url);
          const seen = await server.trigger("seen");
          await client.waitForMessage("seen");
          proxy.drop();
          await client.waitForState("reconnecting");
          for (let n = 1; n <= 6; n += 1) await server.trigger(`missed ${n}`);
          proxy.restore();
          await client.waitForMessage("missed 6");
          const gap = client.page.locator('#log .entry[data-type="gap"]');
          expect(await gap.count()).toBe(1);
          expect(await gap.locator(".text").textContent()).toContain(`history does not reach back to "${seen}" (too-old)`);
          expect(await gap.getAttribute("data-replayed")).toBeNull();
          // What history still holds is replayed after the notice.
          expect(await client.messages()).toEqual(["seen", "missed 4", "missed 5", "missed 6"]);
        });
      } finally {
        proxy.stop();
      }
    });
  }, E2E_TIMEOUT_MS);

  test.skipIf(SKIP_BROWSER)("stops showing events after Disconnect, and resumes on Connect", async () => {
    await withServer({}, (server) =>
      withBrowser(async (browser) => {
        const client = await openClientPage(browser, server.url);
        const witness = await openClientPage(browser, server.url);
        await client.page.focus("#disconnect");
        await client.page.keyboard.press("Enter");
        await client.waitForState("disconnected");
        expect(await client.page.isDisabled("#disconnect")).toBe(true);
        expect(await client.page.isEnabled("#connect")).toBe(true);
        // Keyboard focus moved from the now disabled Disconnect to Connect.
        expect(await client.page.evaluate(() => document.activeElement?.id)).toBe("connect");
        expect(await client.page.textContent("#debug-ready-state")).toBe("2 CLOSED");

        await server.trigger("while disconnected 1");
        await server.trigger("while disconnected 2");
        // The witness page got both, so the disconnected page would have too by now.
        await witness.waitForMessage("while disconnected 2");
        expect(await client.messages()).toEqual([]);

        await client.page.click("#connect");
        await client.waitForState("open");
        // Connect resumes from the last event id: what was missed arrives, marked as replayed.
        await client.waitForMessage("while disconnected 2");
        expect(await client.messages()).toEqual(["while disconnected 1", "while disconnected 2"]);
        expect(await client.page.locator("#log .entry[data-replayed]").count()).toBe(2);
      }),
    );
  }, E2E_TIMEOUT_MS);
});
