import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { signTestToken, TEST_JWT_SECRET } from "../../server/test/support/auth-token.ts";
import { E2E_TIMEOUT_MS, SKIP_BROWSER, withBrowser } from "./browser.ts";
import { WAIT_MS } from "./client-page.ts";
import { withServer, type TestServer } from "./server.ts";

const SECRET = TEST_JWT_SECRET;

/** An HS256 token as the server verifies it (the server tests' own signer: `events` claim), expiring in `seconds`. */
function sign(grants: { subscribe?: string[]; publish?: string[] }, seconds = 3600): Promise<string> {
  return signTestToken({ ...grants, expiresInSeconds: seconds });
}

/** Publishes `{ message: text }` to `topic` as a service would: with a Bearer token. */
async function publish(server: TestServer, topic: string, text: string): Promise<void> {
  const token = await sign({ publish: [topic] });
  const response = await fetch(new URL("events/publish", server.url), {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ topic, data: { message: text } }),
  });
  if (!response.ok) throw new Error(`publish failed: ${response.status} ${await response.text()}`);
}

async function openPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  await page.goto(url);
  return page;
}

async function follow(page: Page, topics: string): Promise<void> {
  await page.fill("#topics", topics);
  await page.press("#topics", "Enter");
}

const messagesOf = (page: Page): Promise<string[]> => page.locator('#log .entry[data-type="message"] .text').allTextContents();

describe("web client: authorised streams", () => {
  test.skipIf(SKIP_BROWSER)("an EventSource authorised by the HttpOnly cookie receives a protected topic's events; without the cookie the stream is refused", async () => {
    await withServer({ jwtSecret: SECRET }, (server) =>
      withBrowser(async (browser) => {
        const withCookie = await browser.newContext();
        const token = await sign({ subscribe: ["events", "orders/*"] });
        await withCookie.addCookies([{ name: "events_token", value: token, url: server.url, httpOnly: true, sameSite: "Strict" }]);
        const page = await openPage(withCookie, server.url);
        await page.locator('#log .entry[data-type="connected"]').first().waitFor();
        await follow(page, "orders/42");
        await page.waitForFunction(() => document.querySelectorAll('#log .entry[data-type="connected"]').length === 2);
        await page.waitForFunction(() => document.getElementById("status")?.dataset.state === "open");
        // The cookie, not the page, carries the token: the page cannot read it and sends no access_token.
        expect(await page.evaluate(() => document.cookie)).toBe("");
        expect(await page.textContent("#debug-url")).not.toContain("access_token");

        await publish(server, "orders/42", "order 42 paid");
        await page.waitForFunction(() => [...document.querySelectorAll('#log .entry[data-type="message"] .text')].some((el) => el.textContent === "order 42 paid"));
        expect(await messagesOf(page)).toEqual(["order 42 paid"]);

        const withoutCookie = await browser.newContext();
        const refused = await openPage(withoutCookie, server.url);
        await refused.waitForFunction(() => document.getElementById("status")?.dataset.state === "failed");
        await refused.waitForFunction(() => document.getElementById("status-text")?.textContent?.includes("UNAUTHORIZED"));
        expect(await refused.textContent("#status-text")).toMatch(/^Disconnected: the server refused the stream \(UNAUTHORIZED: .+ — enter a valid token/);
        await publish(server, "orders/42", "order 42 shipped");
        await page.waitForFunction(() => [...document.querySelectorAll('#log .entry[data-type="message"] .text')].some((el) => el.textContent === "order 42 shipped"));
        expect(await messagesOf(refused)).toEqual([]);
        expect(await refused.locator("#log .entry").count()).toBe(0);
        await withCookie.close();
        await withoutCookie.close();
      }),
    );
  }, E2E_TIMEOUT_MS);

  test.skipIf(SKIP_BROWSER)("a cookie whose token lacks the topic is refused with FORBIDDEN_TOPIC", async () => {
    await withServer({ jwtSecret: SECRET }, (server) =>
      withBrowser(async (browser) => {
        const context = await browser.newContext();
        await context.addCookies([{ name: "events_token", value: await sign({ subscribe: ["events"] }), url: server.url, httpOnly: true }]);
        const page = await openPage(context, server.url);
        await page.locator('#log .entry[data-type="connected"]').first().waitFor();
        await follow(page, "users/8/*");
        await page.waitForFunction(() => document.getElementById("status-text")?.textContent?.includes("FORBIDDEN_TOPIC"));
        expect(await page.textContent("#status-text")).toMatch(/\(FORBIDDEN_TOPIC: .+ — the token does not grant these topics\)$/);
        await context.close();
      }),
    );
  }, E2E_TIMEOUT_MS);

  test.skipIf(SKIP_BROWSER)("the Token field goes as ?access_token=, and at its expiry the page logs auth-expired and resumes with the renewed token, missing nothing", async () => {
    await withServer({ jwtSecret: SECRET, allowQueryToken: true }, (server) =>
      withBrowser(async (browser) => {
        const context = await browser.newContext();
        const page = await openPage(context, server.url);
        // No cookie and no token yet: the default stream is refused.
        await page.waitForFunction(() => document.getElementById("status")?.dataset.state === "failed");
        const shortLived = await sign({ subscribe: ["orders/*"] }, 2);
        await page.fill("#auth-token", shortLived);
        expect(await page.isVisible("#auth-token-note")).toBe(true);
        await follow(page, "orders/1");
        await page.waitForFunction(() => document.getElementById("status")?.dataset.state === "open");
        expect(await page.textContent("#debug-url")).toContain("access_token=REDACTED");
        expect(await page.textContent("#debug-url")).not.toContain(shortLived);
        await publish(server, "orders/1", "before expiry");
        await page.waitForFunction(() => [...document.querySelectorAll('#log .entry[data-type="message"] .text')].some((el) => el.textContent === "before expiry"));

        // The user pastes a fresh token; the page uses it when the old one expires.
        const renewed = await sign({ subscribe: ["orders/*"] });
        await page.fill("#auth-token", renewed);
        await page.locator('#log .entry[data-type="auth-expired"]').waitFor();
        await publish(server, "orders/1", "after expiry");
        await page.waitForFunction(() => [...document.querySelectorAll('#log .entry[data-type="message"] .text')].some((el) => el.textContent === "after expiry"));
        expect(await messagesOf(page)).toEqual(["after expiry", "before expiry"]);
        expect(await page.getAttribute("#status", "data-state")).toBe("open");
        expect(await page.textContent("#log")).not.toContain(shortLived);
        // Kept like the trigger token: this tab only.
        expect(await page.evaluate(() => sessionStorage.getItem("events.token"))).toBe(renewed);
        expect(await page.evaluate(() => localStorage.length)).toBe(0);
        await context.close();
      }),
    );
  }, E2E_TIMEOUT_MS);
});
