/**
 * Peer: Elysia's own `sse()` generator pattern, one async generator per client. Each client
 * has a queue and a waiter; POST /publish pushes the message to every queue and wakes the
 * generators, which `yield sse({ event, id, data })`.
 *
 * Run: bun bench/peers/elysia-generator.ts --port N
 */
import { Elysia, sse, t } from "elysia";

const port = Number(process.argv[process.argv.indexOf("--port") + 1]);

interface Client {
  queue: { id: string; data: string }[];
  wake: (() => void) | undefined;
}
const clients = new Set<Client>();
let nextId = 0;

new Elysia()
  .get("/stream", async function* ({ request }) {
    const client: Client = { queue: [], wake: undefined };
    clients.add(client);
    const gone = new Promise<void>((resolve) => request.signal.addEventListener("abort", () => resolve(), { once: true }));
    try {
      // Elysia reads the first value before it answers, so the stream opens with an event.
      yield sse({ event: "connected", data: '{"message":"Connected to SSE stream"}', retry: 3000 });
      while (!request.signal.aborted) {
        if (client.queue.length === 0) {
          await Promise.race([new Promise<void>((resolve) => (client.wake = resolve)), gone]);
          client.wake = undefined;
          continue;
        }
        const batch = client.queue;
        client.queue = [];
        for (const event of batch) yield sse({ event: "message", id: event.id, data: event.data });
      }
    } finally {
      clients.delete(client);
    }
  })
  .post(
    "/publish",
    ({ body }) => {
      nextId += 1;
      const event = { id: String(nextId), data: JSON.stringify({ message: body.message }) };
      for (const client of clients) {
        client.queue.push(event);
        client.wake?.();
      }
      return { status: `Event broadcast to ${clients.size} clients`, id: event.id };
    },
    { body: t.Object({ message: t.String() }) },
  )
  .listen({ port, hostname: "127.0.0.1", idleTimeout: 0 });
