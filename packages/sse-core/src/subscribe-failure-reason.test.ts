import { describe, expect, test } from "vitest";
import { SseError } from "./errors.ts";
import { subscribeFailureReason } from "./subscribe-failure-reason.ts";

describe("subscribeFailureReason", () => {
  test("ends a starting stream cleanly when the broker is unavailable", () => {
    expect(subscribeFailureReason(new SseError("BROKER_UNAVAILABLE", "down"), true)).toBe("broker-unavailable");
  });

  test("errors a stream that already opened when the broker is unavailable", () => {
    expect(subscribeFailureReason(new SseError("BROKER_UNAVAILABLE", "down"), false)).toBe("error");
  });

  test("reports a closed broker as broker-closed", () => {
    expect(subscribeFailureReason(new SseError("BROKER_CLOSED", "closed"), true)).toBe("broker-closed");
  });

  test("reports any other failure as an error", () => {
    expect(subscribeFailureReason(new Error("boom"), true)).toBe("error");
    expect(subscribeFailureReason(new SseError("INVALID_ID", "bad id"), true)).toBe("error");
  });
});
