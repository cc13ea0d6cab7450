import { describe, expect, test } from "vitest";
import { SseError } from "./errors.ts";
import { DEFAULT_KEEP_ALIVE_HUB_OPTIONS, createKeepAliveHub } from "./keep-alive.ts";
import { createManualInterval } from "./test-support/manual-interval.ts";

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe("createKeepAliveHub", () => {
  test("writes the keepalive comment to every stream on each tick", () => {
    const timer = createManualInterval();
    const hub = createKeepAliveHub(timer);
    const first: string[] = [];
    const second: string[] = [];
    hub.add((frame) => first.push(decode(frame)));
    hub.add((frame) => second.push(decode(frame)));
    timer.tick();
    timer.tick();
    expect(first).toEqual([": keepalive\n", ": keepalive\n"]);
    expect(second).toEqual([": keepalive\n", ": keepalive\n"]);
  });

  test("shares one timer and one frame between all streams", () => {
    const timer = createManualInterval();
    const hub = createKeepAliveHub(timer);
    const frames: Uint8Array[] = [];
    for (let index = 0; index < 100; index++) hub.add((frame) => frames.push(frame));
    timer.tick();
    expect(timer.started).toBe(1);
    expect(timer.active).toBe(1);
    expect(new Set(frames).size).toBe(1);
    expect(frames.length).toBe(100);
  });

  test("starts the timer with the first stream and stops it with the last", () => {
    const timer = createManualInterval();
    const hub = createKeepAliveHub({ ...timer, intervalMs: 250 });
    expect(timer.active).toBe(0);
    const removeFirst = hub.add(() => {});
    const removeSecond = hub.add(() => {});
    expect(timer.active).toBe(1);
    expect(timer.lastMs).toBe(250);
    removeFirst();
    expect(timer.active).toBe(1);
    removeSecond();
    removeSecond();
    expect(timer.active).toBe(0);
    expect(hub.size).toBe(0);
    hub.add(() => {});
    expect(timer.active).toBe(1);
    expect(timer.started).toBe(2);
  });

  test("ticks every 15 seconds by default", () => {
    const timer = createManualInterval();
    createKeepAliveHub(timer).add(() => {});
    expect(timer.lastMs).toBe(15_000);
    expect(DEFAULT_KEEP_ALIVE_HUB_OPTIONS.intervalMs).toBe(15_000);
  });

  test("stops writing to a removed stream", () => {
    const timer = createManualInterval();
    const hub = createKeepAliveHub(timer);
    let writes = 0;
    const remove = hub.add(() => writes++);
    hub.add(() => {});
    timer.tick();
    remove();
    timer.tick();
    expect(writes).toBe(1);
  });

  test("drops a writer that throws and keeps writing to the others", () => {
    const timer = createManualInterval();
    const hub = createKeepAliveHub(timer);
    let writes = 0;
    hub.add(() => {
      throw new TypeError("stream is closed");
    });
    hub.add(() => writes++);
    timer.tick();
    timer.tick();
    expect(writes).toBe(2);
    expect(hub.size).toBe(1);
  });

  test("writes to attached targets until they are detached, with the timer running only while one is attached", () => {
    const timer = createManualInterval();
    const hub = createKeepAliveHub({ intervalMs: 1000, setInterval: timer.setInterval, clearInterval: timer.clearInterval });
    const got: string[] = [];
    const target = { onKeepAlive: (frame: Uint8Array): void => void got.push(new TextDecoder().decode(frame)) };
    const writes: number[] = [];
    const remove = hub.add(() => writes.push(1));
    hub.attach(target);
    hub.attach(target);
    expect(hub.size).toBe(2);
    timer.tick();
    expect(got).toEqual([": keepalive\n"]);
    expect(writes).toEqual([1]);
    hub.detach(target);
    hub.detach(target);
    timer.tick();
    expect(got).toHaveLength(1);
    remove();
    expect(timer.active).toBe(0);
    hub.attach(target);
    expect(timer.active).toBe(1);
    expect(timer.started).toBe(2);
  });

  test("writes a custom comment split into comment lines", () => {
    const timer = createManualInterval();
    const hub = createKeepAliveHub({ ...timer, comment: "ping\npong" });
    const frames: string[] = [];
    hub.add((frame) => frames.push(decode(frame)));
    timer.tick();
    expect(frames).toEqual([": ping\n: pong\n"]);
  });

  test("close stops the timer and ignores later streams", () => {
    const timer = createManualInterval();
    const hub = createKeepAliveHub(timer);
    hub.add(() => {});
    hub.close();
    expect(timer.active).toBe(0);
    expect(hub.size).toBe(0);
    hub.add(() => {})();
    expect(timer.active).toBe(0);
  });

  test("rejects an interval that is not a positive integer with INVALID_OPTION", () => {
    for (const intervalMs of [0, -1, 0.5, Number.NaN]) {
      let code: string | undefined;
      try {
        createKeepAliveHub({ intervalMs });
      } catch (error) {
        code = error instanceof SseError ? error.code : "other";
      }
      expect({ intervalMs, code }).toEqual({ intervalMs, code: "INVALID_OPTION" });
    }
  });
});
