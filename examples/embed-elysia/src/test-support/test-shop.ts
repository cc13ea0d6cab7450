/** Test support: a fresh shop per test, shut down (every stream ended) by `close()`. */
import { createShop, type Shop, type ShopOptions } from "../app.ts";

/** A shop and what ends it. */
export interface TestShop extends Shop {
  /** Ends every stream and stops the plugin's keepalive timer. */
  close(): void;
}

/**
 * Builds a shop on a new in-memory broker; `options` override. Followers are `"anyone"` unless
 * asked: the tests of publishing follow orders without signing in; `order-followers.test.ts`
 * tests the shop's default, `"customer"`.
 */
export function testShop(options: ShopOptions = {}): TestShop {
  const shutdown = new AbortController();
  const shop = createShop({ signal: shutdown.signal, followers: "anyone", ...options });
  return { ...shop, close: () => shutdown.abort() };
}
