// Peer: better-sse on Node's http. GET /stream creates a session and registers it with one
// channel; POST /publish with {"message": ...} broadcasts it to the channel. Plain JavaScript
// so Node runs it with no build step.
//
// Run: node bench/peers/better-sse-node.mjs --port N
import { createServer } from "node:http";
import { createChannel, createSession } from "better-sse";

const port = Number(process.argv[process.argv.indexOf("--port") + 1]);
const channel = createChannel();
let nextId = 0;

const server = createServer((req, res) => {
  if (req.url === "/stream") {
    createSession(req, res, { keepAlive: null, retry: 3000, serializer: String }).then(
      (session) => {
        channel.register(session);
        session.push('{"message":"Connected to SSE stream"}', "connected");
      },
      () => res.destroy(),
    );
    return;
  }
  if (req.url === "/publish" && req.method === "POST") {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const { message } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      nextId += 1;
      channel.broadcast(JSON.stringify({ message }), "message", { eventId: String(nextId) });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: `Event broadcast to ${channel.sessionCount} clients`, id: String(nextId) }));
    });
    return;
  }
  res.writeHead(404).end();
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 0;
server.requestTimeout = 0;
server.listen(port, "127.0.0.1");
