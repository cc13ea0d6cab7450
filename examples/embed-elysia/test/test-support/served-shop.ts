/**
 * Test support (Bun): the shop served on a real socket the way `src/main.ts` serves it, plain
 * `Bun.serve({ fetch: app.fetch })` with Bun's default options, on a free loopback port.
 */
import type { ShopOptions } from "../../src/app.ts";
import { type TestShop, testShop } from "../../src/test-support/test-shop.ts";

/** A served shop: its origin and the shop (store, plugin, job). */
export interface ServedShop {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly shop: TestShop;
}

/** Runs `body` against a served shop, then ends its streams and stops the server. */
export async function withServedShop<T>(options: ShopOptions, body: (served: ServedShop) => Promise<T>): Promise<T> {
  const shop = testShop(options);
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: shop.app.fetch });
  try {
    return await body({ url: server.url.origin, shop });
  } finally {
    shop.close();
    await server.stop(true);
  }
}
