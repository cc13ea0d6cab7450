import { connect, type Socket } from "node:net";
import { describe, expect, test } from "vitest";
import { MAX_MESSAGE_LENGTH } from "@events/contract";
import { openStream, withServer } from "./support/server.ts";

interface Answer {
  status: number;
  headers: Headers;
  body: { status?: string; id?: string; clients?: number; error?: { code: string; message: string } };
}

async function post(url: URL, body: BodyInit | null, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(new URL("/events/trigger", url), { method: "POST", headers, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer["body"] };
}

const json = { "content-type": "application/json" };

/** Sends raw bytes over TCP and returns what the server answered before `until` matched or it closed. */
function rawRequest(url: URL, head: string, bodyChunks: string[] = [], until = /\r\n\r\n[\s\S]*\}/): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let answer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer in time; got ${JSON.stringify(answer.slice(0, 200))}`));
    }, 5000);
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    socket.on("data", (data) => {
      answer += data.toString("utf8");
      if (until.test(answer)) finish();
    });
    socket.on("close", finish);
    socket.on("error", () => finish());
    socket.write(head);
    for (const chunk of bodyChunks) socket.write(chunk);
  });
}

describe("POST /events/trigger", () => {
  test("answers with the broadcast status, the event id and the client count", async () => {
    await withServer({}, async (url) => {
      const answer = await post(url, JSON.stringify({ message: "hi" }), json);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ status: "Event broadcast to 0 clients", id: expect.any(String), clients: 0 });
    });
  });

  test("accepts a JSON content type in any case with a charset, and a body that starts with a BOM", async () => {
    await withServer({}, async (url) => {
      const cased = await post(url, JSON.stringify({ message: "cased" }), { "content-type": "Application/JSON; Charset=UTF-8" });
      expect(cased.status).toBe(200);
      const bom = await post(url, `\uFEFF${JSON.stringify({ message: "bom" })}`, json);
      expect(bom.status).toBe(200);
    });
  });

  test("routes a request whose Host header is shorter than four characters", async () => {
    // Elysia's default router skips the first 11 characters of the URL ("http://a.bc"), so
    // `Host: web` (a compose service on port 80) found no route at all.
    await withServer({}, async (url) => {
      for (const host of ["web", "x"]) {
        const body = JSON.stringify({ message: `via ${host}` });
        const answer = await rawRequest(
          url,
          `POST /events/trigger HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        );
        expect(answer).toMatch(/^HTTP\/1\.1 200/);
        expect(answer).toContain("Event broadcast to 0 clients");
      }
    });
  });

  const badInputs = [
    ["invalid JSON", '{"message":', json, 400, "INVALID_JSON", /not valid JSON/],
    ["an empty body", "", json, 400, "INVALID_JSON", /empty/],
    ["a text/plain body", JSON.stringify({ message: "hi" }), { "content-type": "text/plain" }, 415, "UNSUPPORTED_MEDIA_TYPE", /application\/json.*text\/plain/],
    ["no content type", JSON.stringify({ message: "hi" }), {}, 415, "UNSUPPORTED_MEDIA_TYPE", /got (none|"text\/plain)/],
    ["a form body", "message=hi", { "content-type": "application/x-www-form-urlencoded" }, 415, "UNSUPPORTED_MEDIA_TYPE", /urlencoded/],
    ["a missing message", "{}", json, 422, "VALIDATION_FAILED", /"message" is required/],
    ["a number message", '{"message":42}', json, 422, "VALIDATION_FAILED", /"message" must be a string \(got a number\)/],
    ["a null message", '{"message":null}', json, 422, "VALIDATION_FAILED", /"message" must be a string \(got null\)/],
    ["an empty message", '{"message":""}', json, 422, "VALIDATION_FAILED", /"message" must not be empty/],
    ["an unknown field", '{"message":"a","extra":1}', json, 422, "VALIDATION_FAILED", /"extra" is not a known field/],
    ["an array body", "[1]", json, 422, "VALIDATION_FAILED", /body must be a JSON object/],
    ["a JSON string body", '"hi"', json, 422, "VALIDATION_FAILED", /body must be a JSON object/],
    ["invalid UTF-8", new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]), json, 400, "INVALID_JSON", /UTF-8/],
    ["a body nested 65,000 levels deep", "[".repeat(65_000) + "]".repeat(65_000), json, 422, "VALIDATION_FAILED", /nests deeper than 32 levels/],
  ] as const;
  for (const [name, body, headers, status, code, message] of badInputs) {
    test(`refuses ${name} with ${status} and a JSON error saying what is wrong`, async () => {
      await withServer({}, async (url) => {
        const answer = await post(url, body as BodyInit, { ...headers });
        expect(answer.status).toBe(status);
        expect(answer.body.error?.code).toBe(code);
        expect(answer.body.error?.message).toMatch(message);
        expect(JSON.stringify(answer.body)).not.toMatch(/at .*\.ts:\d+/);
      });
    });
  }

  test("refuses a message longer than the limit with 422", async () => {
    await withServer({}, async (url) => {
      const answer = await post(url, JSON.stringify({ message: "x".repeat(MAX_MESSAGE_LENGTH + 1) }), json);
      expect(answer.status).toBe(422);
      expect(answer.body.error?.message).toBe(`"message" must be at most ${MAX_MESSAGE_LENGTH} characters (got ${MAX_MESSAGE_LENGTH + 1})`);
      const longest = await post(url, JSON.stringify({ message: "x".repeat(MAX_MESSAGE_LENGTH) }), json);
      expect(longest.status).toBe(200);
    });
  });

  test("refuses an oversized body from its Content-Length without reading it", async () => {
    await withServer({ maxBodyBytes: 1024 }, async (url) => {
      // Announce 10 MB, send none of it: the answer must come anyway.
      const answer = await rawRequest(
        url,
        `POST /events/trigger HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 413/);
      expect(answer).toContain('"code":"PAYLOAD_TOO_LARGE"');
      expect(answer).toContain("10000000 bytes; the limit is 1024 bytes");
    });
  });

  test("stops reading a chunked body at the limit and answers 413", async () => {
    await withServer({ maxBodyBytes: 1024 }, async (url) => {
      const chunk = "x".repeat(600);
      const size = chunk.length.toString(16);
      // Three chunks (1800 bytes) and no terminating chunk: the server must answer without the rest.
      const answer = await rawRequest(
        url,
        `POST /events/trigger HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
        [`${size}\r\n{"message":"${chunk.slice(12)}\r\n`, `${size}\r\n${chunk}\r\n`, `${size}\r\n${chunk}\r\n`],
      );
      expect(answer).toMatch(/^HTTP\/1\.1 413/);
      expect(answer).toContain("exceeds 1024 bytes");
    });
  });

  test("accepts a chunked body under the limit", async () => {
    await withServer({ maxBodyBytes: 1024 }, async (url) => {
      const body = JSON.stringify({ message: "chunked" });
      const answer = await rawRequest(
        url,
        `POST /events/trigger HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
        [`${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`],
      );
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
      expect(answer).toContain("Event broadcast to 0 clients");
    });
  });

  test("counts refused triggers by reason in /metrics", async () => {
    await withServer({}, async (url) => {
      await post(url, "{", json);
      await post(url, "{}", json);
      await post(url, "{}", json);
      // The same route with a trailing slash is the same route, and is counted as one.
      await fetch(new URL("/events/trigger/", url), { method: "POST", headers: json, body: "{" });
      const metrics = await (await fetch(new URL("/metrics", url))).text();
      expect(metrics).toContain('events_triggers_rejected_total{reason="INVALID_JSON"} 2');
      expect(metrics).toContain('events_triggers_rejected_total{reason="VALIDATION_FAILED"} 2');
    });
  });
});

describe("the trigger token", () => {
  const token = "s3cret-token";

  const refusals = [
    ["no Authorization header", {}, /missing Authorization header/],
    ["a wrong token", { authorization: "Bearer wrong" }, /wrong trigger token/],
    ["a token one character longer", { authorization: `Bearer ${token}x` }, /wrong trigger token/],
    ["a Basic scheme", { authorization: `Basic ${token}` }, /must be Bearer/],
  ] as const;
  for (const [name, headers, message] of refusals) {
    test(`refuses ${name} with 401 before reading the body`, async () => {
      await withServer({ triggerToken: token }, async (url) => {
        // An invalid body: 401 (not 400) proves the token is checked first.
        const answer = await post(url, "{", { ...json, ...headers });
        expect(answer.status).toBe(401);
        expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer/);
        expect(answer.body.error?.code).toBe("UNAUTHORIZED");
        expect(answer.body.error?.message).toMatch(message);
      });
    });
  }

  test("accepts the right token and leaves the stream open to all", async () => {
    await withServer({ triggerToken: token }, async (url) => {
      const stream = await openStream(url);
      try {
        await stream.waitForEvents("connected", 1);
        const answer = await post(url, JSON.stringify({ message: "authorised" }), { ...json, authorization: `Bearer ${token}` });
        expect(answer.status).toBe(200);
        await stream.waitForEvents("message", 1);
        expect(stream.messages()).toEqual(["authorised"]);
      } finally {
        stream.close();
      }
    });
  });
});

describe("--max-clients", () => {
  test("answers 503 with Retry-After past the limit, and admits again once a client leaves", async () => {
    await withServer({ maxClients: 2, retryMs: 2000 }, async (url) => {
      const a = await openStream(url);
      const b = await openStream(url);
      try {
        await Promise.all([a.waitForEvents("connected", 1), b.waitForEvents("connected", 1)]);
        const refused = await fetch(new URL("/events/stream", url));
        expect(refused.status).toBe(503);
        expect(refused.headers.get("retry-after")).toBe("2");
        expect(((await refused.json()) as Answer["body"]).error?.code).toBe("TOO_MANY_CLIENTS");
        a.close();
        let admitted: Response | undefined;
        const deadline = Date.now() + 3000;
        while (admitted?.status !== 200 && Date.now() < deadline) {
          await admitted?.body?.cancel();
          admitted = await fetch(new URL("/events/stream", url));
        }
        expect(admitted?.status).toBe(200);
        await admitted?.body?.cancel();
      } finally {
        a.close();
        b.close();
      }
    });
  });
});

describe("--max-clients against clients that vanish", () => {
  test("frees the slot of every client that hangs up mid-handshake or right after its request", async () => {
    await withServer({ maxClients: 1 }, async (url) => {
      const sockets = Array.from({ length: 60 }, (_, i) => {
        const socket = connect(Number(url.port), url.hostname);
        socket.on("error", () => undefined);
        socket.on("connect", () => {
          socket.write(i % 3 === 0 ? "GET /events/str" : `GET /events/stream HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
          if (i % 3 === 2) setImmediate(() => socket.destroy());
          else socket.destroy();
        });
        return socket;
      });
      await waitForClose(sockets);
      let admitted: Response | undefined;
      const deadline = Date.now() + 3000;
      while (admitted?.status !== 200 && Date.now() < deadline) {
        await admitted?.body?.cancel();
        admitted = await fetch(new URL("/events/stream", url));
      }
      expect(admitted?.status).toBe(200);
      await admitted?.body?.cancel();
      const health = async (): Promise<number> => ((await (await fetch(new URL("/healthz", url))).json()) as { clients: number }).clients;
      let clients = await health();
      while (clients !== 0 && Date.now() < deadline) clients = await health();
      expect(clients).toBe(0);
    });
  });
});

/** Resolves once every socket has closed. */
async function waitForClose(sockets: readonly Socket[]): Promise<void> {
  const closing = sockets.map((socket) =>
    socket.closed ? undefined : new Promise<void>((resolve) => socket.once("close", () => resolve())),
  );
  await Promise.all(closing);
}

describe("CORS", () => {
  test("allows a listed origin, answers its preflight, and ignores others", async () => {
    await withServer({ corsOrigins: ["https://app.example"] }, async (url) => {
      const preflight = await fetch(new URL("/events/trigger", url), {
        method: "OPTIONS",
        headers: { origin: "https://app.example", "access-control-request-method": "POST" },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example");
      expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization");
      const allowed = await fetch(new URL("/healthz", url), { headers: { origin: "https://app.example" } });
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example");
      const other = await fetch(new URL("/healthz", url), { headers: { origin: "https://evil.example" } });
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
      expect(other.headers.get("vary")).toBe("Origin");
    });
  });
});
