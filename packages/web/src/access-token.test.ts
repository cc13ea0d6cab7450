import { describe, expect, test } from "vitest";
import { isCrossOrigin, redactAccessToken, withAccessToken } from "./access-token.ts";

describe("access token on the stream URL", () => {
  test("adds the token as ?access_token=, encoded, and nothing for an empty one", () => {
    const url = new URL("http://h/events/stream?topic=orders%2F1");
    expect(withAccessToken(url, "a.b+c").href).toBe("http://h/events/stream?topic=orders%2F1&access_token=a.b%2Bc");
    expect(withAccessToken(url, "").href).toBe(url.href);
  });

  test("redacts the token for display and leaves other URLs alone", () => {
    expect(redactAccessToken("http://h/events/stream?topic=a&access_token=secret.jwt")).toBe("http://h/events/stream?topic=a&access_token=REDACTED");
    expect(redactAccessToken("http://h/events/stream?topic=a")).toBe("http://h/events/stream?topic=a");
    expect(redactAccessToken("")).toBe("");
  });

  test("tells a stream on another origin from the page's own", () => {
    expect(isCrossOrigin(new URL("http://h:1/events/stream"), "http://h:1/")).toBe(false);
    expect(isCrossOrigin(new URL("http://api.h/events/stream"), "http://h/")).toBe(true);
    expect(isCrossOrigin(new URL("http://h/events/stream"), undefined)).toBe(false);
  });
});
