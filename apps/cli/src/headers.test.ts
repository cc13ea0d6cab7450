import { describe, expect, test } from "vitest";
import { parseHeaderFlags } from "./headers.ts";

describe("parseHeaderFlags", () => {
  test("reads names in lower case and trims the value, which may hold colons", () => {
    expect(parseHeaderFlags(["X-Trace:  a:b:c ", "Accept-Language:de"])).toEqual({ ok: true, headers: { "x-trace": "a:b:c", "accept-language": "de" } });
  });

  test("joins a repeated name with a comma and allows an empty value", () => {
    expect(parseHeaderFlags(["X-A: 1", "x-a: 2", "X-Empty:"])).toEqual({ ok: true, headers: { "x-a": "1, 2", "x-empty": "" } });
  });

  test("refuses a missing colon, an invalid name and a line break in the value", () => {
    for (const flag of ["X-A 1", ":1", "X A: 1", "X(A): 1"]) expect(parseHeaderFlags([flag]).ok).toBe(false);
    expect(parseHeaderFlags(["X-A: 1\n2"])).toEqual({ ok: false, reason: "--header X-A must not contain CR, LF or NUL" });
  });
});
