import { describe, expect, test } from "vitest";
import { readRefusal } from "./refusal.ts";

const URL_ = "http://127.0.0.1/events/stream?topic=a%2F%2Fb";

function answering(response: () => Response, seen: Request[] = []): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    seen.push(new Request(input, init));
    return response();
  }) as typeof fetch;
}

describe("readRefusal", () => {
  test("reads the server's code and message from its JSON error", async () => {
    const seen: Request[] = [];
    const body = { error: { code: "INVALID_TOPIC_PATTERN", message: 'topic pattern must not have an empty segment (got "a//b")' } };
    const reason = await readRefusal(URL_, { fetch: answering(() => Response.json(body, { status: 400 }), seen) });
    expect(reason).toBe('INVALID_TOPIC_PATTERN: topic pattern must not have an empty segment (got "a//b")');
    expect(seen[0]?.url).toBe(URL_);
    expect(seen[0]?.headers.get("accept")).toBe("text/event-stream");
  });

  test("names the status when the answer is not the server's JSON", async () => {
    expect(await readRefusal(URL_, { fetch: answering(() => new Response("<html>", { status: 502 })) })).toBe("HTTP 502");
    expect(await readRefusal(URL_, { fetch: answering(() => Response.json({ error: "x" }, { status: 503 })) })).toBe("HTTP 503");
  });

  test("explains nothing when the stream is accepted now, and closes it", async () => {
    let cancelled = false;
    const body = new ReadableStream({ cancel: () => void (cancelled = true) });
    const ok = answering(() => new Response(body, { headers: { "content-type": "text/event-stream" } }));
    expect(await readRefusal(URL_, { fetch: ok })).toBeUndefined();
    expect(cancelled).toBe(true);
  });

  test("explains nothing when the server cannot be reached", async () => {
    const down = (async () => {
      throw new TypeError("Failed to fetch");
    }) as unknown as typeof fetch;
    expect(await readRefusal(URL_, { fetch: down })).toBeUndefined();
  });

  test("says what to do about a refused token (401) or topics the token does not grant (403)", async () => {
    const refusal = (status: number, code: string): typeof fetch => answering(() => Response.json({ error: { code, message: "m" } }, { status }));
    expect(await readRefusal(URL_, { fetch: refusal(401, "INVALID_TOKEN") })).toBe(
      "INVALID_TOKEN: m — enter a valid token in the Token field, or sign in to the app for its cookie",
    );
    expect(await readRefusal(URL_, { fetch: refusal(403, "FORBIDDEN_TOPIC") })).toBe("FORBIDDEN_TOPIC: m — the token does not grant these topics");
  });

  test("asks with the credentials the stream had: the cookie and the same ?access_token=", async () => {
    const seen: Request[] = [];
    const url = "http://127.0.0.1/events/stream?access_token=abc";
    await readRefusal(url, { fetch: answering(() => new Response(null, { status: 401 }), seen) });
    expect(seen[0]?.url).toBe(url);
    expect(seen[0]?.credentials).toBe("include");
  });
});
