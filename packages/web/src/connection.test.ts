import { describe, expect, test } from "vitest";
import { createConnection, type ConnectionState, type ReceivedEvent } from "./connection.ts";

/** A stand-in EventSource: records how it was built and lets the test dispatch events. */
class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static readonly created: FakeEventSource[] = [];
  readonly url: string;
  readonly init: EventSourceInit | undefined;
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;

  constructor(url: string | URL, init?: EventSourceInit) {
    super();
    this.url = String(url);
    this.init = init;
    FakeEventSource.created.push(this);
  }

  open(): void {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }

  emit(type: string, data: unknown, lastEventId: string): void {
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data), lastEventId }));
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }
}

/** A clock and a one-shot timer the test moves. */
const clock = {
  time: 1_000_000,
  waiting: [] as Array<{ run: () => void; ms: number }>,
};

function connect(streamUrl: string, token: () => string): { events: ReceivedEvent[]; states: ConnectionState[]; sources: FakeEventSource[] } {
  clock.waiting.length = 0;
  FakeEventSource.created.length = 0;
  const events: ReceivedEvent[] = [];
  const states: ConnectionState[] = [];
  const connection = createConnection({
    streamUrl,
    onEvent: (received) => events.push(received),
    onStateChange: (state) => states.push(state),
    token,
    EventSource: FakeEventSource as unknown as typeof EventSource,
    now: () => clock.time,
    setTimeout: (run, ms) => {
      const entry = { run, ms };
      clock.waiting.push(entry);
      return entry;
    },
    clearTimeout: (handle) => {
      clock.waiting = clock.waiting.filter((entry) => entry !== handle);
    },
  });
  connection.connect(["orders/1"]);
  return { events, states, sources: FakeEventSource.created };
}

const expired = { message: "token expired; reconnect with a fresh token", expiredAt: "2026-12-06T04:00:00.000Z" };

describe("createConnection: tokens", () => {
  test("sends the token as ?access_token=, and no parameter without one", () => {
    expect(connect("http://h/events/stream", () => "jwt-1").sources[0]?.url).toBe("http://h/events/stream?topic=orders%2F1&access_token=jwt-1");
    expect(connect("http://h/events/stream", () => "").sources[0]?.url).toBe("http://h/events/stream?topic=orders%2F1");
  });

  test("asks for credentials only when the stream is on another origin (the cookie then needs them)", () => {
    Object.defineProperty(globalThis, "location", { value: { href: "http://page.test/app/" }, configurable: true });
    try {
      expect(connect("http://api.test/events/stream", () => "").sources[0]?.init).toEqual({ withCredentials: true });
      expect(connect("http://page.test/events/stream", () => "").sources[0]?.init).toBeUndefined();
    } finally {
      Reflect.deleteProperty(globalThis, "location");
    }
  });

  test("logs auth-expired, then reconnects at once with the current token and ?lastEventId=", () => {
    let token = "jwt-1";
    const { events, states, sources } = connect("http://h/events/stream", () => token);
    const first = sources[0] as FakeEventSource;
    first.open();
    first.emit("message", { message: "a" }, "e-1");
    token = "jwt-2";
    clock.time += 60_000;
    first.emit("auth-expired", expired, "e-1");
    expect(events.map((received) => received.event.type)).toEqual(["message", "auth-expired"]);
    expect(first.readyState).toBe(FakeEventSource.CLOSED);
    expect(sources).toHaveLength(2);
    expect(sources[1]?.url).toBe("http://h/events/stream?topic=orders%2F1&lastEventId=e-1&access_token=jwt-2");
    expect(states).toEqual(["connecting", "open", "reconnecting"]);
    sources[1]?.open();
    expect(states.at(-1)).toBe("open");
  });

  test("waits the reconnect floor when auth-expired comes right after the stream opened, so an expired token never makes it hammer", () => {
    const { states, sources } = connect("http://h/events/stream", () => "jwt-stale");
    const first = sources[0] as FakeEventSource;
    first.open();
    first.emit("auth-expired", expired, "");
    expect(sources).toHaveLength(1);
    expect(states.at(-1)).toBe("reconnecting");
    expect(clock.waiting.map((entry) => entry.ms)).toEqual([3000]);
    clock.waiting[0]?.run();
    expect(sources).toHaveLength(2);
  });

  test("ignores what the closed stream still dispatches after auth-expired", () => {
    const { events, sources } = connect("http://h/events/stream", () => "t");
    const first = sources[0] as FakeEventSource;
    first.emit("auth-expired", expired, "");
    first.emit("message", { message: "late" }, "e-9");
    expect(events.map((received) => received.event.type)).toEqual(["auth-expired"]);
  });
});
