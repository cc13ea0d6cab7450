import { describe, expect, test } from "vitest";
import { E2E_TIMEOUT_MS, SKIP_BROWSER, withBrowser } from "./browser.ts";
import { type ClientPage, openClientPage } from "./client-page.ts";
import { withServer } from "./server.ts";

/** Types `topics` into the topics field and presses Enter; resolves once the new stream's connected event is in the log. */
async function follow(client: ClientPage, topics: string): Promise<void> {
  const connected = await client.page.locator('#log .entry[data-type="connected"]').count();
  await client.page.fill("#topics", topics);
  await client.page.press("#topics", "Enter");
  await client.page.waitForFunction(
    (before) => document.querySelectorAll('#log .entry[data-type="connected"]').length > before,
    connected,
  );
  await client.waitForState("open");
}

/** The topic each message row shows, oldest first, with whether the page knew it. */
async function messageTopics(client: ClientPage): Promise<string[]> {
  const rows = client.page.locator('#log .entry[data-type="message"] .topic');
  const texts = await rows.allTextContents();
  const known = await rows.evaluateAll((elements) => elements.map((element) => (element as HTMLElement).dataset.known));
  return texts.map((text, index) => `${text}${known[index] === "true" ? "" : " (one of)"}`).reverse();
}

describe("web client: topics", () => {
  test.skipIf(SKIP_BROWSER)("follows the topic in the topics field, shows it on each row, and sends to the topic in the Send form", async () => {
    await withServer({}, (server) =>
      withBrowser(async (browser) => {
        const room = await openClientPage(browser, server.url);
        const lobby = await openClientPage(browser, server.url);
        await follow(room, "rooms/1");
        expect(await room.page.textContent("#debug-url")).toMatch(/\/events\/stream\?topic=rooms%2F1$/);
        expect(await lobby.page.textContent("#debug-url")).toMatch(/\/events\/stream$/);

        await room.page.fill("#send-topic", "rooms/1");
        await room.page.fill("#message", "for the room");
        await room.page.press("#message", "Enter");
        await room.waitForMessage("for the room");
        // The event can arrive over the stream before the send's own HTTP answer is shown.
        await room.page.waitForFunction(() => document.getElementById("send-result")?.textContent?.startsWith("Sent"));
        expect(await room.page.textContent("#send-result")).toMatch(/^Sent · Event broadcast to 1 clients? · id \S+/);

        await lobby.page.fill("#message", "for the default topic");
        await lobby.page.press("#message", "Enter");
        await lobby.waitForMessage("for the default topic");
        await server.trigger("also for the room", "rooms/1");
        await room.waitForMessage("also for the room");

        expect(await room.messages()).toEqual(["for the room", "also for the room"]);
        expect(await lobby.messages()).toEqual(["for the default topic"]);
        expect(await messageTopics(room)).toEqual(["rooms/1", "rooms/1"]);
        expect(await messageTopics(lobby)).toEqual(["events"]);
        expect([...room.errors, ...lobby.errors]).toEqual([]);
      }),
    );
  }, E2E_TIMEOUT_MS);

  test.skipIf(SKIP_BROWSER)("follows several topics and patterns separated by commas or spaces over one stream", async () => {
    await withServer({}, (server) =>
      withBrowser(async (browser) => {
        const client = await openClientPage(browser, server.url);
        await follow(client, "rooms/1, orders/*  rooms/1");
        const url = new URL((await client.page.textContent("#debug-url")) ?? "");
        expect(url.searchParams.getAll("topic")).toEqual(["rooms/1", "orders/*"]);
        expect(await client.page.textContent("#debug-topics")).toBe("rooms/1, orders/*");

        await server.trigger("not followed", "rooms/2");
        await server.trigger("default topic, not followed");
        await server.trigger("an order", "orders/42");
        await server.trigger("the room", "rooms/1");
        await client.waitForMessage("the room");
        expect(await client.messages()).toEqual(["an order", "the room"]);
        // EventSource hides the topic: field, so a row names the topics the stream follows.
        expect(await messageTopics(client)).toEqual(["rooms/1, orders/* (one of)", "rooms/1, orders/* (one of)"]);

        await follow(client, "");
        expect(await client.page.textContent("#debug-url")).toMatch(/\/events\/stream$/);
        await server.trigger("back on the default topic");
        await client.waitForMessage("back on the default topic");
        expect((await messageTopics(client)).at(-1)).toBe("events");
      }),
    );
  }, E2E_TIMEOUT_MS);

  test.skipIf(SKIP_BROWSER)("says why the server refused a topic, as text, and recovers when the field is fixed", async () => {
    await withServer({}, (server) =>
      withBrowser(async (browser) => {
        const client = await openClientPage(browser, server.url);
        await client.page.fill("#topics", "<img src=x onerror=alert(1)>");
        await client.page.press("#topics", "Enter");
        await client.waitForState("failed");
        await client.page.waitForFunction(() => document.getElementById("status-text")?.textContent?.includes("INVALID_TOPIC"));
        const status = (await client.page.textContent("#status-text")) ?? "";
        // The field splits on spaces: the server names the first topic it refuses, "<img".
        expect(status).toMatch(/^Disconnected: the server refused the stream \(INVALID_TOPIC_PATTERN: .*"<img"/);
        expect(await client.page.locator("#status img").count()).toBe(0);
        expect(client.dialogs).toEqual([]);

        await follow(client, "rooms/1");
        expect(await client.page.textContent("#status-text")).toBe("Connected");
        await server.trigger("fixed", "rooms/1");
        await client.waitForMessage("fixed");
      }),
    );
  }, E2E_TIMEOUT_MS);

  test.skipIf(SKIP_BROWSER)("shows the server's reason when a send names an invalid topic, and keeps the text", async () => {
    await withServer({}, (server) =>
      withBrowser(async (browser) => {
        const client = await openClientPage(browser, server.url);
        await client.page.fill("#send-topic", "rooms/*");
        await client.page.fill("#message", "to a pattern");
        await client.page.click("#send");
        await client.page.waitForFunction(() => document.getElementById("send-result")?.dataset.ok === "false");
        expect(await client.page.textContent("#send-result")).toMatch(/^Not sent \(400 INVALID_TOPIC\): /);
        expect(await client.page.inputValue("#message")).toBe("to a pattern");
        void server;
      }),
    );
  }, E2E_TIMEOUT_MS);
});
