import { describe, expect, test } from "vitest";
import { createSecretScrubber } from "./scrub.ts";

describe("createSecretScrubber", () => {
  const scrub = createSecretScrubber(["s3cret-token"]);

  test("replaces the exact secrets it was given, wherever they appear", () => {
    expect(scrub("got s3cret-token twice: s3cret-token")).toBe("got [redacted] twice: [redacted]");
  });

  test("replaces Bearer and Basic credentials but keeps the scheme", () => {
    expect(scrub("Authorization: Bearer abc.def-123")).toBe("Authorization: Bearer [redacted]");
    expect(scrub("basic dXNlcjpwdw==")).toBe("basic [redacted]");
  });

  test("replaces token-like query and cookie values", () => {
    expect(scrub("/events/stream?access_token=abc&topic=a")).toBe("/events/stream?access_token=[redacted]&topic=a");
    expect(scrub("cookie: session=abc; theme=dark")).toBe("cookie: [redacted]; theme=dark");
    expect(scrub("api_key=k1 password=p2 token: t3")).toBe("api_key=[redacted] password=[redacted] token: [redacted]");
  });

  test("replaces a JWT and a URL's password", () => {
    expect(scrub("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-part")).toBe("jwt [redacted]");
    expect(scrub("redis://:pw@redis:6379/0")).toBe("redis://:[redacted]@redis:6379/0");
    expect(scrub("rediss://user:pw@redis:6379")).toBe("rediss://user:[redacted]@redis:6379");
  });

  test("leaves ordinary text alone", () => {
    for (const text of ["/events/stream", "/events/trigger", "redis://127.0.0.1:6379", "TypeError: x is not a function", "orders/42"]) {
      expect(scrub(text)).toBe(text);
    }
  });
});
