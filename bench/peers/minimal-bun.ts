/**
 * Peer: the minimal Bun.serve broadcaster, the practical limit for JavaScript on Bun.
 * GET /stream subscribes; POST /publish with `{"message": ...}` encodes the event once and
 * enqueues the same bytes to every client's ReadableStream controller. No history, no
 * backpressure policy, no keepalive: nothing but the fan-out. POST /publish with an array of
 * `{"message": ...}` (the burst scenario) does the same for each event in turn, as a
 * hand-written broadcaster would: one enqueue per event per client.
 *
 * Run: bun bench/peers/minimal-bun.ts --port N
 */
const port = Number(process.argv[process.argv.indexOf("--port") + 1]);
const encoder = new TextEncoder();
const clients = new Set<ReadableStreamDefaultController<Uint8Array>>();
const opening = encoder.encode('retry: 3000\n\nevent: connected\ndata: {"message":"Connected to SSE stream"}\n\n');
let nextId = 0;

Bun.serve({
  port,
  hostname: "127.0.0.1",
  idleTimeout: 0,
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === "/stream") {
      let self: ReadableStreamDefaultController<Uint8Array> | undefined;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          self = controller;
          clients.add(controller);
          controller.enqueue(opening);
        },
        cancel() {
          if (self) clients.delete(self);
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
    }
    if (pathname === "/publish" && request.method === "POST") {
      const body = (await request.json()) as { message: string } | { message: string }[];
      const broadcast = ({ message }: { message: string }): string => {
        nextId += 1;
        const frame = encoder.encode(`id: ${nextId}\nevent: message\ndata: ${JSON.stringify({ message })}\n\n`);
        for (const controller of clients) controller.enqueue(frame);
        return String(nextId);
      };
      if (Array.isArray(body)) return Response.json(body.map((item) => ({ id: broadcast(item), clients: clients.size })));
      const id = broadcast(body);
      return Response.json({ status: `Event broadcast to ${clients.size} clients`, id });
    }
    return new Response("not found", { status: 404 });
  },
});
