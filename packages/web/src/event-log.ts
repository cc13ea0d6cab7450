/**
 * The event log: one list item per event, newest first, capped so a long session does
 * not grow without bound. Every piece of server or user text goes in through
 * `textContent`, never as HTML.
 */
import type { ReceivedEvent } from "./connection.ts";
import type { StreamEvent } from "./payloads.ts";
import { describeSubscription } from "./topics.ts";

/** How many entries the log keeps by default (the oldest are dropped). */
export const MAX_LOG_ENTRIES = 500;

/** Options of {@link EventLog}. */
export interface EventLogOptions {
  /** Entries kept; older ones are removed. @default 500 */
  readonly maxEntries?: number;
}

function describe(event: StreamEvent): string {
  switch (event.type) {
    case "connected": {
      const { clients } = event.data;
      return `Connection established · ${clients} ${clients === 1 ? "client" : "clients"} connected`;
    }
    case "message":
      return event.data.message;
    case "gap": {
      const { requestedId, oldestId, reason } = event.data;
      const from = oldestId === null ? "history is empty" : `replaying from ${oldestId}`;
      return `Some events may be missing: history does not reach back to "${requestedId}" (${reason}); ${from}.`;
    }
    case "auth-expired":
      return `The token expired (${event.data.expiredAt}): ${event.data.message}. Reconnecting with the current token from where the stream stopped.`;
    case "invalid":
      return `Unreadable "${event.eventType}" event: ${event.raw}`;
  }
}

function timeOf(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function span(doc: Document, className: string, text: string): HTMLSpanElement {
  const element = doc.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}

/** The capped, newest-first list of received events. */
export class EventLog {
  readonly #list: HTMLOListElement;
  readonly #maxEntries: number;

  /** @example new EventLog(document.querySelector("ol#log")!, { maxEntries: 500 }) */
  constructor(list: HTMLOListElement, options: EventLogOptions = {}) {
    this.#list = list;
    this.#maxEntries = options.maxEntries ?? MAX_LOG_ENTRIES;
  }

  /** How many entries are shown. */
  get size(): number {
    return this.#list.childElementCount;
  }

  /** The cap on {@link size}. */
  get maxEntries(): number {
    return this.#maxEntries;
  }

  /** Adds one event at the top and drops the oldest entries past the cap. */
  add({ event, replayed, receivedAt, topic, subscription }: ReceivedEvent): void {
    const doc = this.#list.ownerDocument;
    const item = doc.createElement("li");
    item.className = "entry";
    item.dataset.type = event.type;
    if (replayed) item.dataset.replayed = "";

    const meta = doc.createElement("div");
    meta.className = "meta";
    const time = doc.createElement("time");
    time.dateTime = receivedAt.toISOString();
    time.textContent = timeOf(receivedAt);
    meta.append(time, span(doc, "type", event.type === "invalid" ? event.eventType : event.type));
    // The topic when the page can know it; else the topics this stream follows (one of which it came from).
    const topicText = topic ?? describeSubscription(subscription);
    const topicSpan = span(doc, "topic", topicText);
    topicSpan.title = topic === undefined ? "one of the topics this stream follows (EventSource does not tell which)" : "topic";
    topicSpan.dataset.known = String(topic !== undefined);
    meta.append(topicSpan);
    if (topic !== undefined) item.dataset.topic = topic;
    if (replayed) meta.append(span(doc, "badge", "replayed"));
    if (event.id) {
      const id = doc.createElement("code");
      id.className = "id";
      id.title = "event id";
      id.textContent = event.id;
      meta.append(id);
    }

    const text = doc.createElement("p");
    text.className = "text";
    text.textContent = describe(event);
    item.append(meta, text);

    this.#list.prepend(item);
    while (this.#list.childElementCount > this.#maxEntries) this.#list.lastElementChild?.remove();
  }

  /** Removes every entry. */
  clear(): void {
    this.#list.replaceChildren();
  }
}
