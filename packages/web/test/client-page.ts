/**
 * Drives one browser tab of the web client in the e2e tests: open it, read its log and
 * status, and record anything that must never happen (dialogs, page errors, CSP reports).
 */
import type { Browser, Page } from "playwright-core";

/** How long a condition may take to become true in a test. */
export const WAIT_MS = 10_000;

/** One open tab of the page. */
export interface ClientPage {
  readonly page: Page;
  /** `alert`/`confirm`/`prompt` dialogs the page opened (there must be none). */
  readonly dialogs: string[];
  /** Uncaught errors and console errors in the page. */
  readonly errors: string[];
  /** Message texts in the log, oldest first. */
  messages(): Promise<string[]>;
  /** Waits until the log holds a `message` entry with exactly this text. */
  waitForMessage(text: string): Promise<void>;
  /** Waits until the status shows this connection state (`open`, `reconnecting`, ...). */
  waitForState(state: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens the page at `url` in a fresh context and waits for its `connected` event. */
export async function openClientPage(
  browser: Browser,
  url: string,
  viewport: { width: number; height: number } = { width: 1000, height: 800 },
): Promise<ClientPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.goto(url);
  await page.locator('#log .entry[data-type="connected"]').first().waitFor();
  return {
    page,
    dialogs,
    errors,
    async messages(): Promise<string[]> {
      const texts = await page.locator('#log .entry[data-type="message"] .text').allTextContents();
      return texts.reverse();
    },
    async waitForMessage(text: string): Promise<void> {
      await page.waitForFunction(
        (wanted) =>
          [...document.querySelectorAll('#log .entry[data-type="message"] .text')].some((el) => el.textContent === wanted),
        text,
      );
    },
    async waitForState(state: string): Promise<void> {
      await page.waitForFunction((wanted) => document.getElementById("status")?.dataset.state === wanted, state);
    },
    async close(): Promise<void> {
      await context.close();
    },
  };
}
