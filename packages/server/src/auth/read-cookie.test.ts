import { describe, expect, test } from "vitest";
import { readCookie } from "./read-cookie.ts";

describe("readCookie", () => {
  test("finds a cookie among several, the first of its name winning", () => {
    expect(readCookie("a=1; events_token=abc.def.ghi; events_token=old", "events_token")).toBe("abc.def.ghi");
    expect(readCookie("events_token=x", "events_token")).toBe("x");
    expect(readCookie("a=1;events_token=tight;b=2", "events_token")).toBe("tight");
  });

  test("matches the whole name only", () => {
    expect(readCookie("my_events_token=x; events_token_old=y", "events_token")).toBeUndefined();
  });

  test("removes surrounding double quotes and keeps = inside a value", () => {
    expect(readCookie('events_token="a.b.c"', "events_token")).toBe("a.b.c");
    expect(readCookie("events_token=a=b=", "events_token")).toBe("a=b=");
  });

  test("reads no header, no such cookie and an empty value as none", () => {
    expect(readCookie(null, "events_token")).toBeUndefined();
    expect(readCookie("a=1; flag", "events_token")).toBeUndefined();
    expect(readCookie("events_token=; events_token=later", "events_token")).toBeUndefined();
  });
});
