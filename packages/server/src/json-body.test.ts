import { describe, expect, test } from "vitest";
import { HttpError } from "./errors.ts";
import { readJsonBody } from "./json-body.ts";

function request(body: BodyInit | null, contentType?: string): Request {
  const headers: Record<string, string> = contentType === undefined ? {} : { "content-type": contentType };
  return new Request("http://localhost/x", { method: "POST", body, headers });
}

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error("expected an HttpError");
}

/** A body that yields `chunks` and records how many were pulled. */
function countingBody(chunks: number, size: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled += 1;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  }, { highWaterMark: 0 });
  return { body, pulled: () => pulled };
}

describe("readJsonBody", () => {
  test("parses a JSON body, with a charset or a +json type", async () => {
    expect(await readJsonBody(request('{"a":1}', "application/json; charset=utf-8"))).toEqual({ a: 1 });
    expect(await readJsonBody(request("[1]", "application/merge-patch+json"))).toEqual([1]);
  });

  test("refuses a JSON body in any charset but UTF-8 with 415", async () => {
    for (const contentType of ["application/json; charset=utf-16", 'application/json;charset="ISO-8859-1"', "application/json; charset=utf-16le; x=1"]) {
      const error = await refusal(readJsonBody(request('{"a":1}', contentType)));
      expect(error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
      expect(error.message).toContain("must be UTF-8");
    }
    expect(await readJsonBody(request('{"a":1}', 'application/json; charset="UTF-8"'))).toEqual({ a: 1 });
    expect(await readJsonBody(request('{"a":1}', "application/json; charset=utf8"))).toEqual({ a: 1 });
  });

  test("refuses an object with a key written twice with 400", async () => {
    const error = await refusal(readJsonBody(request('{"message":"a","message":"b"}', "application/json")));
    expect(error.code).toBe("INVALID_JSON");
    expect(error.status).toBe(400);
    expect(error.message).toBe('request body has the key "message" more than once in one object; send each key once');
  });

  test("finds a repeated key whatever colons the values hold, and takes distinct keys", async () => {
    // A flat object whose colons match its members skips the walk: colons in values, in keys,
    // spaced names, escaped names and nested objects must all still be caught.
    for (const body of [
      '{"message":"x","message":"y:z"}',
      '{"message" :"a", "message": "b"}',
      '{"a:b":1,"a:b":2}',
      '{"message":"a","\\u006dessage":"b"}',
      '{"__proto__":1,"__proto__":2}',
      '{"x":{"k":1,"k":2}}',
      '[{"k":1,"k":2}]',
    ]) {
      const error = await refusal(readJsonBody(request(body, "application/json")));
      expect(error.code).toBe("INVALID_JSON");
      expect(error.message).toContain("more than once in one object");
    }
    expect(await readJsonBody(request('{"message":"at 10:30"}', "application/json"))).toEqual({ message: "at 10:30" });
    expect(await readJsonBody(request('{"a":1,"b":"c:d","e":null}', "application/json"))).toEqual({ a: 1, b: "c:d", e: null });
    expect(await readJsonBody(request("{}", "application/json"))).toEqual({});
    expect(await readJsonBody(request('["a:b","a:b"]', "application/json"))).toEqual(["a:b", "a:b"]);
  });

  test("refuses a non-JSON content type with 415 before reading", async () => {
    const error = await refusal(readJsonBody(request("x", "text/plain")));
    expect(error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(error.message).toBe('Content-Type must be application/json (got "text/plain")');
  });

  test("stops reading at the first chunk past the limit", async () => {
    const { body, pulled } = countingBody(100, 100);
    const error = await refusal(readJsonBody(new Request("http://localhost/x", { method: "POST", body, headers: { "content-type": "application/json" } }), { maxBodyBytes: 250 }));
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.status).toBe(413);
    expect(pulled()).toBeLessThanOrEqual(4);
  });

  test("accepts a body of exactly the limit", async () => {
    const body = JSON.stringify({ m: "x".repeat(10) });
    expect(await readJsonBody(request(body, "application/json"), { maxBodyBytes: body.length })).toEqual({ m: "xxxxxxxxxx" });
  });

  test("reads a body whose Content-Length is within the limit, up to exactly the limit", async () => {
    const body = JSON.stringify({ m: "x".repeat(10) });
    const headers = { "content-type": "application/json", "content-length": String(body.length) };
    const exact = new Request("http://localhost/x", { method: "POST", body, headers });
    expect(await readJsonBody(exact, { maxBodyBytes: body.length })).toEqual({ m: "xxxxxxxxxx" });
  });

  test("refuses a body longer than its declared Content-Length when it passes the limit", async () => {
    const headers = { "content-type": "application/json", "content-length": "10" };
    const lying = new Request("http://localhost/x", { method: "POST", body: " ".repeat(300), headers });
    const error = await refusal(readJsonBody(lying, { maxBodyBytes: 250 }));
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.message).toBe("request body exceeds 250 bytes; the limit is 250 bytes (server flag --max-body)");
  });

  test("refuses a Content-Length over the limit before reading any of the body", async () => {
    const { body, pulled } = countingBody(100, 100);
    const headers = { "content-type": "application/json", "content-length": "100000" };
    const error = await refusal(readJsonBody(new Request("http://localhost/x", { method: "POST", body, headers }), { maxBodyBytes: 250 }));
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.message).toBe("request body is 100000 bytes; the limit is 250 bytes (server flag --max-body)");
    expect(pulled()).toBe(0);
  });

  test("takes the media type the router already read, and reads the header when it passes none", async () => {
    expect(await readJsonBody(request('{"a":1}'), {}, "application/json")).toEqual({ a: 1 });
    expect(await readJsonBody(request('{"a":2}', "application/json"), {}, "")).toEqual({ a: 2 });
    const error = await refusal(readJsonBody(request('{"a":1}', "application/json"), {}, "text/plain"));
    expect(error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(error.message).toBe('Content-Type must be application/json (got "text/plain")');
  });

  test("stops reading at the limit when Content-Length is malformed", async () => {
    for (const length of ["abc", "-1", "1.5"]) {
      const { body, pulled } = countingBody(100, 100);
      const headers = { "content-type": "application/json", "content-length": length };
      const error = await refusal(readJsonBody(new Request("http://localhost/x", { method: "POST", body, headers }), { maxBodyBytes: 250 }));
      expect(error.code).toBe("PAYLOAD_TOO_LARGE");
      expect(pulled()).toBeLessThanOrEqual(4);
    }
  });

  test("refuses JSON nested deeper than the limit with 422, counting brackets in strings as text", async () => {
    for (const body of ["[".repeat(65_000) + "]".repeat(65_000), '{"a":'.repeat(33) + "1" + "}".repeat(33)]) {
      const error = await refusal(readJsonBody(request(body, "application/json")));
      expect(error.code).toBe("VALIDATION_FAILED");
      expect(error.message).toMatch(/^request body nests deeper than 32 levels/);
    }
    const quoted = JSON.stringify({ message: `"\\${"[{".repeat(100)}` });
    expect(await readJsonBody(request(quoted, "application/json"))).toEqual(JSON.parse(quoted));
    expect(await readJsonBody(request('{"a":'.repeat(32) + "1" + "}".repeat(32), "application/json"))).toBeDefined();
    // A flat object or array (every member a primitive) is one level deep, whatever its text holds.
    const flat = JSON.stringify({ message: "[".repeat(100), n: 1, ok: true, none: null });
    expect(await readJsonBody(request(flat, "application/json"))).toEqual(JSON.parse(flat));
    expect(await readJsonBody(request(JSON.stringify(Array.from({ length: 100 }, (_, i) => i)), "application/json"))).toHaveLength(100);
    // Many openers side by side are not deep.
    const wide = JSON.stringify({ list: Array.from({ length: 40 }, (_, i) => [{ i }]) });
    expect(await readJsonBody(request(wide, "application/json"))).toEqual(JSON.parse(wide));
  });

  test("refuses invalid JSON, an empty body and invalid UTF-8 with 400", async () => {
    for (const body of ["{", "", "   ", new Uint8Array([0x22, 0xc3, 0x22])]) {
      const error = await refusal(readJsonBody(request(body, "application/json")));
      expect(error.code).toBe("INVALID_JSON");
    }
  });
});
