/**
 * Serves the shop with Bun: `bun run start` (PORT, HOST, PUBLISH_TOKEN and SHIP_EVERY_MS from
 * the environment). Plain `Bun.serve({ fetch: app.fetch })` with Bun's default options: the
 * events plugin's keepalive comments keep quiet streams inside Bun's 10 s idle timeout.
 */
import { createShop } from "./app.ts";

const shutdown = new AbortController();
const { app, job } = createShop({
  publishToken: process.env["PUBLISH_TOKEN"] || false,
  signal: shutdown.signal,
  onJobError: (error) => console.error("shipping job:", error),
});
const server = Bun.serve({ port: Number(process.env["PORT"] ?? 3000), hostname: process.env["HOST"] ?? "localhost", fetch: app.fetch });
const stopJob = job.start(Number(process.env["SHIP_EVERY_MS"] ?? 10_000));
console.log(`listening on ${server.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    stopJob();
    shutdown.abort();
    void server.stop().then(() => process.exit(0));
  });
}
