/**
 * The page's controls and read-outs (status, buttons, send form, token field, debug
 * panel), found once by id. Everything shown goes in through `textContent`.
 */
import type { ConnectionState } from "./connection.ts";
import type { SendResult } from "./trigger.ts";

/** What the debug panel shows. */
export interface DebugInfo {
  readonly state: ConnectionState;
  readonly readyState: number;
  readonly url: string;
  readonly topics: string;
  readonly lastEventId: string;
  readonly reconnects: number;
  readonly received: number;
  readonly replayed: number;
  readonly replaying: boolean;
  readonly lastData: string;
}

const STATE_TEXT: Readonly<Record<ConnectionState, string>> = {
  disconnected: "Disconnected",
  connecting: "Connecting…",
  open: "Connected",
  reconnecting: "Reconnecting…",
  failed: "Disconnected: the server refused the stream",
};

const READY_STATE_TEXT = ["0 CONNECTING", "1 OPEN", "2 CLOSED"];

function byId<T extends HTMLElement>(doc: Document, id: string, type: new () => T): T {
  const element = doc.getElementById(id);
  if (!(element instanceof type)) throw new Error(`web client: #${id} is missing from index.html`);
  return element;
}

/** The page's elements and how to render into them. */
export class View {
  readonly connectButton: HTMLButtonElement;
  readonly disconnectButton: HTMLButtonElement;
  readonly clearButton: HTMLButtonElement;
  readonly sendForm: HTMLFormElement;
  readonly sendButton: HTMLButtonElement;
  readonly messageInput: HTMLTextAreaElement;
  readonly sendTopicInput: HTMLInputElement;
  readonly tokenInput: HTMLInputElement;
  readonly authForm: HTMLFormElement;
  readonly authTokenInput: HTMLInputElement;
  readonly topicsForm: HTMLFormElement;
  readonly topicsInput: HTMLInputElement;
  readonly log: HTMLOListElement;
  readonly #doc: Document;
  readonly #status: HTMLElement;
  readonly #statusText: HTMLElement;
  readonly #sendResult: HTMLElement;
  readonly #tokenRow: HTMLElement;
  readonly #authNote: HTMLElement;
  readonly #logEmpty: HTMLElement;
  readonly #logCount: HTMLElement;

  /** @example const view = new View(document) */
  constructor(doc: Document) {
    this.#doc = doc;
    this.connectButton = byId(doc, "connect", HTMLButtonElement);
    this.disconnectButton = byId(doc, "disconnect", HTMLButtonElement);
    this.clearButton = byId(doc, "clear", HTMLButtonElement);
    this.sendForm = byId(doc, "send-form", HTMLFormElement);
    this.sendButton = byId(doc, "send", HTMLButtonElement);
    this.messageInput = byId(doc, "message", HTMLTextAreaElement);
    this.sendTopicInput = byId(doc, "send-topic", HTMLInputElement);
    this.tokenInput = byId(doc, "token", HTMLInputElement);
    this.authForm = byId(doc, "auth-form", HTMLFormElement);
    this.authTokenInput = byId(doc, "auth-token", HTMLInputElement);
    this.#authNote = byId(doc, "auth-token-note", HTMLElement);
    this.topicsForm = byId(doc, "topics-form", HTMLFormElement);
    this.topicsInput = byId(doc, "topics", HTMLInputElement);
    this.log = byId(doc, "log", HTMLOListElement);
    this.#status = byId(doc, "status", HTMLElement);
    this.#statusText = byId(doc, "status-text", HTMLElement);
    this.#sendResult = byId(doc, "send-result", HTMLElement);
    this.#tokenRow = byId(doc, "token-row", HTMLElement);
    this.#logEmpty = byId(doc, "log-empty", HTMLElement);
    this.#logCount = byId(doc, "log-count", HTMLElement);
  }

  /** Shows the connection state and enables the buttons that make sense in it. */
  renderState(state: ConnectionState): void {
    this.#status.dataset.state = state;
    this.#statusText.textContent = STATE_TEXT[state];
    const closed = state === "disconnected" || state === "failed";
    this.connectButton.disabled = !closed;
    this.disconnectButton.disabled = closed;
    // Keep keyboard focus on a usable control when the focused button becomes disabled.
    const active = this.#doc.activeElement;
    if (active === this.connectButton && this.connectButton.disabled) this.disconnectButton.focus();
    if (active === this.disconnectButton && this.disconnectButton.disabled) this.connectButton.focus();
  }

  /** Adds the server's reason to a refused stream's status (`reason` is its text, shown as text). */
  renderRefusal(reason: string): void {
    if (this.#status.dataset.state !== "failed") return;
    this.#statusText.textContent = `${STATE_TEXT.failed} (${reason})`;
  }

  /** Shows the number of log entries (and the cap), or the empty-log hint. */
  renderLogSize(size: number, maxEntries: number): void {
    this.#logEmpty.hidden = size > 0;
    this.#logCount.textContent = size === 0 ? "" : size >= maxEntries ? `last ${maxEntries}` : `${size}`;
  }

  /** Marks a send as under way (the Send button is disabled until it settles). */
  renderSending(sending: boolean): void {
    this.sendButton.disabled = sending;
    this.sendForm.setAttribute("aria-busy", String(sending));
  }

  /** Says how a send went: the event id on success, the HTTP status, code and reason on failure. */
  renderSendResult(result: SendResult | { readonly ok: false; readonly local: string }): void {
    this.#sendResult.dataset.ok = String(result.ok);
    if (result.ok) {
      this.#sendResult.textContent = `Sent · ${result.status} · id ${result.id}`;
    } else if ("local" in result) {
      this.#sendResult.textContent = result.local;
    } else if (result.httpStatus === 0) {
      this.#sendResult.textContent = `Not sent: ${result.message}`;
    } else {
      this.#sendResult.textContent = `Not sent (${result.httpStatus} ${result.code}): ${result.message}`;
    }
  }

  /** Whether the token field is shown. */
  get tokenShown(): boolean {
    return !this.#tokenRow.hidden;
  }

  /** Shows the token field (the server asked for a token). */
  showToken(token: string): void {
    this.#tokenRow.hidden = false;
    if (!this.tokenInput.value) this.tokenInput.value = token;
  }

  /** Shows, while the Token field holds a token, how it is sent (and what the server needs for it). */
  renderAuthNote(hasToken: boolean): void {
    this.#authNote.hidden = !hasToken;
  }

  /** Fills the debug panel (`info.url` already redacted: the panel never shows a token). */
  renderDebug(info: DebugInfo): void {
    const set = (id: string, text: string): void => {
      const element = this.#doc.getElementById(id);
      if (element) element.textContent = text;
    };
    set("debug-state", info.state);
    set("debug-ready-state", READY_STATE_TEXT[info.readyState] ?? String(info.readyState));
    set("debug-url", info.url || "–");
    set("debug-topics", info.topics);
    set("debug-last-event-id", info.lastEventId || "–");
    set("debug-reconnects", String(info.reconnects));
    set("debug-received", String(info.received));
    set("debug-replayed", info.replaying ? `${info.replayed} (replay in progress)` : String(info.replayed));
    // Lets tests and styles tell a resume's replay burst from live events.
    this.log.dataset.replaying = String(info.replaying);
    set("debug-data", info.lastData || "–");
  }

  /** Records the last send's outcome in the debug panel. */
  renderDebugSend(result: SendResult): void {
    const element = this.#doc.getElementById("debug-send");
    if (element) element.textContent = result.ok ? `200 id ${result.id}` : `${result.httpStatus || "network"} ${result.code}`;
  }
}
