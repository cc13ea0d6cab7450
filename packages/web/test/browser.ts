/**
 * Headless Chromium for the e2e tests, driven by playwright-core against Debian's
 * `chromium` (never a downloaded browser build). Tests skip when it is missing, unless
 * `REQUIRE_CHROMIUM=1` (CI), where a missing browser fails them.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Where Chromium is: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH: string = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Time limit of one e2e test: a browser start plus a few bounded waits on a busy 2-core machine. */
export const E2E_TIMEOUT_MS = 60_000;

/** True when the e2e tests must run (CI). */
export const CHROMIUM_REQUIRED: boolean = process.env.REQUIRE_CHROMIUM === "1";

/** True when the browser tests cannot run here and may be skipped. */
export const SKIP_BROWSER: boolean = !existsSync(CHROMIUM_PATH) && !CHROMIUM_REQUIRED;

if (SKIP_BROWSER) {
  // A visible reason in the test output, not a silent skip.
  process.stderr.write(
    `web e2e: skipped, Chromium not found at ${CHROMIUM_PATH} (install: apt-get install -y chromium, or set CHROMIUM_PATH; REQUIRE_CHROMIUM=1 makes this a failure)\n`,
  );
}

/** Launches headless Chromium, runs `body`, and always closes the browser. */
export async function withBrowser<T>(body: (browser: Browser) => Promise<T>): Promise<T> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--no-sandbox",
      "--headless",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    return await body(browser);
  } finally {
    await browser.close();
  }
}
