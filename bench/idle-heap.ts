/**
 * JS heap per idle stream, in process: `count` streams opened through our app's `handle`
 * (keepalive on, the default topic), each read to its `connected` event and sent one event,
 * against the same count of bare `ReadableStream`s enqueued the same way. Run: bun bench/idle-heap.ts [count]
 */
import { heapStats } from "bun:jsc";
import { createApp } from "../packages/server/src/app.ts";

const count = Number(process.argv[2] ?? 20_000);

function heapBytes(): number {
  Bun.gc(true);
  Bun.gc(true);
  return heapStats().heapSize;
}

async function ours(): Promise<number> {
  const controller = new AbortController();
  const app = await createApp({ webRoot: false, maxClients: count + 10, signal: controller.signal });
  const before = heapBytes();
  const typesBefore = heapStats().objectTypeCounts;
  const readers: ReadableStreamDefaultReader<Uint8Array>[] = [];
  for (let i = 0; i < count; i++) {
    const response = await app.handle(new Request("http://127.0.0.1/events/stream"));
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    readers.push(reader);
  }
  await app.handle(new Request("http://127.0.0.1/events/trigger", { method: "POST", headers: { "content-type": "application/json" }, body: '{"message":"one"}' }));
  await new Promise((resolve) => setTimeout(resolve, 20));
  await Promise.all(readers.map((reader) => reader.read()));
  const perStream = (heapBytes() - before) / count;
  if (process.env.TYPES) {
    const after = heapStats().objectTypeCounts as Record<string, number>;
    const deltas = Object.entries(after).map(([type, n]) => [type, (n - ((typesBefore as Record<string, number>)[type] ?? 0)) / count] as const);
    for (const [type, n] of deltas.filter(([, n]) => n >= 0.5).sort((a, b) => b[1] - a[1])) console.log(`  ${type}: ${n.toFixed(2)} per stream`);
  }
  controller.abort();
  return perStream;
}

async function bare(): Promise<number> {
  const before = heapBytes();
  const controllers: ReadableStreamDefaultController<Uint8Array>[] = [];
  const readers: ReadableStreamDefaultReader<Uint8Array>[] = [];
  const opening = new TextEncoder().encode("retry: 3000\n\n");
  for (let i = 0; i < count; i++) {
    const body = new ReadableStream<Uint8Array>({ start: (controller) => void controllers.push(controller) });
    const response = new Response(body, { headers: { "content-type": "text/event-stream" } });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    (controllers[i] as ReadableStreamDefaultController<Uint8Array>).enqueue(opening);
    await reader.read();
    readers.push(reader);
  }
  const frame = new TextEncoder().encode("id: 1\ndata: one\n\n");
  for (const controller of controllers) controller.enqueue(frame);
  await Promise.all(readers.map((reader) => reader.read()));
  return (heapBytes() - before) / count;
}

console.log(`bare stream + Response: ${(await bare()).toFixed(0)} B per stream`);
console.log(`ours (app.handle): ${(await ours()).toFixed(0)} B per stream`);
