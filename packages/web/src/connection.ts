/**
 * One stream connection on the browser's own `EventSource`: connect, disconnect, the
 * state the user sees (including "reconnecting" while EventSource retries by itself),
 * the resume cursor, and which events arrived as the replay of a resumed stream.
 */
import { isCrossOrigin, withAccessToken } from "./access-token.ts";
import { parseStreamEvent, STREAM_EVENT_TYPES, type StreamEvent } from "./payloads.ts";
import { eventTopic } from "./topics.ts";

/**
 * - `disconnected`: not connected (initially, and after {@link Connection.disconnect}).
 * - `connecting`: a first connect is under way.
 * - `open`: the stream is open and events flow.
 * - `reconnecting`: the stream dropped and EventSource is retrying (readyState CONNECTING).
 * - `failed`: the server refused the stream (not a 200 event stream); EventSource gave up.
 */
export type ConnectionState = "disconnected" | "connecting" | "open" | "reconnecting" | "failed";

/** An event as the page received it. */
export interface ReceivedEvent {
  readonly event: StreamEvent;
  /** True for events replayed from history right after a resumed stream opened. */
  readonly replayed: boolean;
  readonly receivedAt: Date;
  /** The topic it came from, when the page can know it (see `eventTopic`); undefined otherwise. */
  readonly topic: string | undefined;
  /** The topics and patterns the stream follows (`[]`: the default topic). */
  readonly subscription: readonly string[];
}

/** Options of {@link createConnection}. */
export interface ConnectionOptions {
  /** `GET /events/stream`, absolute or relative to the page. */
  readonly streamUrl: string | URL;
  /** Called for every `connected`, `message`, `gap` and `auth-expired` event, in order. */
  readonly onEvent: (received: ReceivedEvent) => void;
  /** Called whenever {@link Connection.state} changes, and on every failed reconnect attempt. */
  readonly onStateChange: (state: ConnectionState) => void;
  /** Called when a resumed stream starts and ends its replay. @default undefined */
  readonly onReplayChange?: (replaying: boolean) => void;
  /**
   * The token to send as `?access_token=`, read at every connect (and at the reconnect after
   * `auth-expired`, so a token renewed meanwhile is used); `""` sends none (the cookie then
   * authorises the stream). @default () => ""
   */
  readonly token?: () => string;
  /** The EventSource constructor. @default globalThis.EventSource */
  readonly EventSource?: typeof EventSource;
  /**
   * After `auth-expired`, a stream that lived shorter than this waits this long before it
   * reconnects (a longer-lived one reconnects at once): a server or a token source that keeps
   * answering with expired tokens is never hammered. In milliseconds. @default 3000
   */
  readonly reconnectFloorMs?: number;
  /** The clock, in milliseconds. Injectable for tests. @default Date.now */
  readonly now?: () => number;
  /** Waits for the floor. Injectable for tests. @default globalThis.setTimeout */
  readonly setTimeout?: (run: () => void, ms: number) => unknown;
  /** Cancels such a wait. @default globalThis.clearTimeout */
  readonly clearTimeout?: (handle: unknown) => void;
}

/** A stream connection the page can open and close. */
export interface Connection {
  /**
   * Opens the stream of `topics` (each sent as `?topic=`; `[]` for the default topic, no
   * parameter), resuming after {@link lastEventId} when the page has one for the same topics.
   * Other topics than last time start afresh (their history is not "missed"). No-op while open.
   * @param topics defaults to the topics of the last connect
   */
  connect(topics?: readonly string[]): void;
  /** Closes the stream for good (EventSource does not retry). */
  disconnect(): void;
  readonly state: ConnectionState;
  /** The resume cursor: the id of the last event received, `""` before any. */
  readonly lastEventId: string;
  /** The topics and patterns of the current or last stream (`[]`: the default topic). */
  readonly topics: readonly string[];
  /** How many times EventSource reported a dropped stream or a failed retry. */
  readonly reconnects: number;
  /** The URL of the current or last stream request, `""` before the first (with the token: show it redacted). */
  readonly url: string;
  /** True while the events arriving are the replay of a resumed stream. */
  readonly replaying: boolean;
  /** The EventSource's readyState (0 CONNECTING, 1 OPEN, 2 CLOSED); 2 when there is none. */
  readonly readyState: number;
}

/**
 * Creates a connection; nothing is opened until `connect()`.
 * @example
 * const connection = createConnection({ streamUrl: "events/stream", onEvent: show, onStateChange: render });
 * connection.connect();
 */
export function createConnection(options: ConnectionOptions): Connection {
  const EventSourceImpl = options.EventSource ?? EventSource;
  let source: EventSource | undefined;
  let state: ConnectionState = "disconnected";
  let lastEventId = "";
  let reconnects = 0;
  let url = "";
  let topics: readonly string[] = [];
  // The `connected` event says how many history events follow it: exactly those are the replay.
  let replayRemaining = 0;
  let replaying = false;
  const now = options.now ?? Date.now;
  const reconnectFloorMs = options.reconnectFloorMs ?? 3000;
  const wait = options.setTimeout ?? ((run: () => void, ms: number): unknown => setTimeout(run, ms));
  const cancelWait = options.clearTimeout ?? ((handle: unknown): void => clearTimeout(handle as number));
  /** When the current stream was opened (for the reconnect floor). */
  let openedAt = 0;
  /** A reconnect after auth-expired waiting for the floor. */
  let pendingReopen: unknown;

  const setState = (next: ConnectionState, notifySame = false): void => {
    if (next === state && !notifySame) return;
    state = next;
    options.onStateChange(next);
  };

  const setReplaying = (next: boolean): void => {
    if (next === replaying) return;
    replaying = next;
    options.onReplayChange?.(next);
  };

  const stopReplay = (): void => {
    replayRemaining = 0;
    setReplaying(false);
  };

  const handle = (type: (typeof STREAM_EVENT_TYPES)[number], message: MessageEvent<string>): void => {
    // The id the browser will send as Last-Event-ID; kept so a manual Connect resumes too.
    // auth-expired carries no id, so the cursor stays on the last event received.
    lastEventId = message.lastEventId;
    const event = parseStreamEvent(type, message.lastEventId, message.data);
    if (event.type === "connected") {
      replayRemaining = event.data.replayed;
      setReplaying(replayRemaining > 0);
    }
    // Only messages are replayed; the `connected` and `gap` notices belong to this connection.
    const replayed = replayRemaining > 0 && (event.type === "message" || event.type === "invalid");
    if (replayed) replayRemaining -= 1;
    options.onEvent({ event, replayed, receivedAt: new Date(), topic: eventTopic(topics), subscription: topics });
    if (replayed && replayRemaining === 0) setReplaying(false);
    if (type === "auth-expired") {
      // The server ends the stream now. EventSource would retry the same URL (the expired
      // ?access_token=), be refused and give up: reconnect ourselves with the current token
      // and ?lastEventId=, so nothing is lost.
      close();
      // A stream refused by expiry right after it opened must not reconnect in a tight loop.
      if (now() - openedAt >= reconnectFloorMs) open();
      else {
        pendingReopen = wait(() => {
          pendingReopen = undefined;
          open();
        }, reconnectFloorMs);
      }
      setState("reconnecting");
    }
  };

  const close = (): void => {
    if (pendingReopen !== undefined) cancelWait(pendingReopen);
    pendingReopen = undefined;
    source?.close();
    source = undefined;
    stopReplay();
  };

  const open = (): void => {
    const target = new URL(options.streamUrl, globalThis.location?.href);
    for (const topic of topics) target.searchParams.append("topic", topic);
    if (lastEventId) target.searchParams.set("lastEventId", lastEventId);
    const withToken = withAccessToken(target, options.token?.() ?? "");
    url = withToken.href;
    openedAt = now();
    // Same origin sends the cookie anyway; another origin only with credentials (and the
    // server's CORS allow-list naming this page's origin).
    const opened = isCrossOrigin(withToken, globalThis.location?.href)
      ? new EventSourceImpl(withToken, { withCredentials: true })
      : new EventSourceImpl(withToken);
    source = opened;
    opened.onopen = (): void => setState("open");
    opened.onerror = (): void => {
      if (opened !== source) return;
      if (opened.readyState === EventSourceImpl.CONNECTING) {
        reconnects += 1;
        stopReplay();
        // Every failed retry is reported, so the page can show the attempts counting up.
        setState("reconnecting", true);
      } else {
        close();
        setState("failed");
      }
    };
    for (const type of STREAM_EVENT_TYPES) {
      opened.addEventListener(type, (message) => {
        if (opened === source) handle(type, message);
      });
    }
  };

  return {
    connect(nextTopics?: readonly string[]): void {
      if (source || pendingReopen !== undefined) return;
      if (nextTopics !== undefined && !sameTopics(nextTopics, topics)) {
        topics = [...nextTopics];
        lastEventId = "";
      }
      open();
      setState("connecting");
    },
    disconnect(): void {
      close();
      setState("disconnected");
    },
    get state(): ConnectionState {
      return state;
    },
    get lastEventId(): string {
      return lastEventId;
    },
    get topics(): readonly string[] {
      return topics;
    },
    get reconnects(): number {
      return reconnects;
    },
    get url(): string {
      return url;
    },
    get replaying(): boolean {
      return replaying;
    },
    get readyState(): number {
      return source?.readyState ?? EventSourceImpl.CLOSED;
    },
  };
}

function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((topic, index) => topic === b[index]);
}
