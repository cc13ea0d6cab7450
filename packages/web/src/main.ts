/**
 * The page's entry: wires the stream connection, the send form and the log together.
 * Connects on load; everything else is driven by the user.
 */
import { redactAccessToken } from "./access-token.ts";
import { createConnection, type ConnectionState, type ReceivedEvent } from "./connection.ts";
import { EventLog } from "./event-log.ts";
import { readRefusal } from "./refusal.ts";
import { STREAM_TOKEN_KEY, TokenStore } from "./token-store.ts";
import { describeSubscription, parseTopics } from "./topics.ts";
import { sendMessage } from "./trigger.ts";
import { View } from "./view.ts";

const STREAM_PATH = "events/stream";
const TRIGGER_PATH = "events/trigger";

function safeSessionStorage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    // Reading sessionStorage itself throws when storage is blocked; the token stays in memory.
    return undefined;
  }
}

const view = new View(document);
const log = new EventLog(view.log);
const tokens = new TokenStore(safeSessionStorage());
// The Token field's JWT: same rules as the trigger token (this tab only), its own key.
const streamTokens = new TokenStore(safeSessionStorage(), STREAM_TOKEN_KEY);
let received = 0;
let replayed = 0;
let lastData = "";

if (tokens.get()) view.showToken(tokens.get());
view.authTokenInput.value = streamTokens.get();
view.renderAuthNote(streamTokens.get() !== "");

const renderDebug = (): void =>
  view.renderDebug({
    state: connection.state,
    readyState: connection.readyState,
    url: redactAccessToken(connection.url),
    topics: describeSubscription(connection.topics),
    lastEventId: connection.lastEventId,
    reconnects: connection.reconnects,
    received,
    replayed,
    replaying: connection.replaying,
    lastData,
  });

const connection = createConnection({
  streamUrl: new URL(STREAM_PATH, document.baseURI),
  onEvent(entry: ReceivedEvent): void {
    received += 1;
    if (entry.replayed) replayed += 1;
    lastData = entry.event.type === "invalid" ? entry.event.raw : JSON.stringify(entry.event.data);
    log.add(entry);
    view.renderLogSize(log.size, log.maxEntries);
    renderDebug();
  },
  onStateChange(state: ConnectionState): void {
    view.renderState(state);
    renderDebug();
    if (state === "failed") void readRefusal(connection.url).then((reason) => reason && view.renderRefusal(reason));
  },
  onReplayChange: renderDebug,
  // What the field holds at each connect, kept for this tab: a token pasted while the old one
  // expires is the one the reconnect after auth-expired uses.
  token: (): string => {
    streamTokens.set(view.authTokenInput.value.trim());
    return streamTokens.get();
  },
});

const connectToField = (): void => connection.connect(parseTopics(view.topicsInput.value));

view.connectButton.addEventListener("click", connectToField);
view.topicsForm.addEventListener("submit", (event) => {
  // Enter in the topics field: follow the new topics now (a new stream; the old one closes).
  event.preventDefault();
  connection.disconnect();
  connectToField();
});
view.authForm.addEventListener("submit", (event) => {
  // Enter in the Token field: reconnect with the new token (or, emptied, with the cookie).
  event.preventDefault();
  connection.disconnect();
  connectToField();
});
view.authTokenInput.addEventListener("input", () => view.renderAuthNote(view.authTokenInput.value.trim() !== ""));
view.disconnectButton.addEventListener("click", () => connection.disconnect());
view.clearButton.addEventListener("click", () => {
  log.clear();
  view.renderLogSize(0, log.maxEntries);
});

view.messageInput.addEventListener("keydown", (event) => {
  // Enter sends, Shift+Enter is a newline; never interrupt an IME composition.
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    view.sendForm.requestSubmit();
  }
});

view.sendForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = view.messageInput.value;
  if (message.trim() === "") {
    view.renderSendResult({ ok: false, local: "Nothing to send: type a message first." });
    view.messageInput.focus();
    return;
  }
  if (view.tokenShown) tokens.set(view.tokenInput.value.trim());
  const authToken = view.authTokenInput.value.trim();
  view.renderSending(true);
  const result = await sendMessage(new URL(TRIGGER_PATH, document.baseURI), message, {
    // The trigger token field, once the server asked for it, else the Token field's JWT.
    token: (view.tokenShown ? tokens.get() : "") || authToken || undefined,
    topic: view.sendTopicInput.value.trim() || undefined,
  });
  view.renderSending(false);
  view.renderSendResult(result);
  view.renderDebugSend(result);
  if (result.ok) {
    view.messageInput.value = "";
    view.messageInput.focus();
  } else if (result.httpStatus === 401 && authToken !== "" && !view.tokenShown) {
    // The Token field's token was refused: that is the one to fix.
    view.authTokenInput.focus();
    view.authTokenInput.select();
  } else if (result.httpStatus === 401) {
    view.showToken(tokens.get());
    view.tokenInput.focus();
    view.tokenInput.select();
  }
});

view.renderState(connection.state);
view.renderLogSize(0, log.maxEntries);
renderDebug();
connectToField();
