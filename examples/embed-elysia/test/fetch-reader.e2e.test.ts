// A client with nothing but `fetch` (what any language's HTTP client can do) follows an order
// of the shop served with plain `Bun.serve({ fetch: app.fetch })`: each change arrives as a
// text/event-stream block with its `event:`, `topic:` and JSON `data:` lines.
import { describe, expect, test } from "vitest";
import { withServedShop } from "./test-support/served-shop.ts";

/** Reads a text/event-stream body as raw blocks (the text between blank lines), without any SSE library. */
async function* rawBlocks(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of body) {
    text += decoder.decode(chunk, { stream: true });
    for (let end = text.indexOf("\n\n"); end !== -1; end = text.indexOf("\n\n")) {
      yield text.slice(0, end);
      text = text.slice(end + 2);
    }
  }
}

describe("a plain fetch reader following an order", () => {
  test("receives order.updated with its topic: line after the host's route writes", async () => {
    await withServedShop({}, async ({ url }) => {
      const post = (method: string, path: string, body: unknown): Promise<Response> =>
        fetch(url + path, { method, headers: { "content-type": "application/json", "x-session": "alice" }, body: JSON.stringify(body) });
      expect((await post("POST", "/api/orders", { item: "tea", quantity: 2 })).status).toBe(201);
      const controller = new AbortController();
      const response = await fetch(`${url}/events/stream?topic=orders/1`, { signal: controller.signal });
      expect(response.headers.get("content-type")).toBe("text/event-stream");
      const blocks: string[] = [];
      for await (const block of rawBlocks(response.body!)) {
        // Comments (the keepalive) and the retry: line carry no event.
        if (!/^event: /m.test(block)) continue;
        blocks.push(block);
        if (blocks.length === 1) expect((await post("PATCH", "/api/orders/1", { status: "paid" })).status).toBe(200);
        if (blocks.length === 2) break;
      }
      controller.abort();
      expect(blocks[0]).toMatch(/^id: \S+\nevent: connected\ndata: \{.*\}$/);
      const lines = (blocks[1] ?? "").split("\n");
      expect(lines.slice(1, 3)).toEqual(["event: order.updated", "topic: orders/1"]);
      expect(lines[0]).toMatch(/^id: \S+$/);
      expect(JSON.parse((lines[3] ?? "").replace(/^data: /, ""))).toEqual({ id: "1", item: "tea", quantity: 2, status: "paid", updatedAt: expect.any(String) });
      expect(lines).toHaveLength(4);
    });
  });
});
