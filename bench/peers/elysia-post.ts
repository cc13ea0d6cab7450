/**
 * Peer: a bare Elysia POST route that parses and validates the same JSON as our trigger
 * (`{"message": string}`) and answers a JSON object, with no broker behind it: the ceiling
 * for the trigger benchmark.
 *
 * Run: bun bench/peers/elysia-post.ts --port N
 */
import { Elysia, t } from "elysia";

const port = Number(process.argv[process.argv.indexOf("--port") + 1]);
let nextId = 0;

new Elysia()
  .post(
    "/events/trigger",
    ({ body }) => {
      nextId += 1;
      return { status: `Event broadcast to 0 clients (${body.message.length})`, id: String(nextId) };
    },
    { body: t.Object({ message: t.String() }) },
  )
  .listen({ port, hostname: "127.0.0.1" });
