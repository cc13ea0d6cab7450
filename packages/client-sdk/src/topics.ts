import { SseError, assertValidTopic, parseTopicPattern, resolvePublishTopics } from "@events/sse-core";
import { EventsClientError } from "./errors.ts";

// The topic rules live in sse-core (one place for the server, the brokers and this client);
// here they only become `INVALID_OPTION` errors, thrown before anything is sent.

/**
 * The stream URL for `topics`: `?topic=` once per topic or pattern, in the given order.
 * `undefined` adds nothing (the server's default topic: the stream exactly as before topics).
 * Throws `EventsClientError` `INVALID_OPTION` for an empty list or an invalid pattern.
 */
export function topicStreamUrl(streamUrl: string, topics: readonly string[] | undefined): string {
  if (topics === undefined) return streamUrl;
  if (!Array.isArray(topics) || topics.length === 0) {
    throw new EventsClientError("INVALID_OPTION", 'topics must list at least one topic or pattern (leave it out for the default topic), e.g. ["orders/42"]');
  }
  const query = new URLSearchParams();
  for (const topic of topics) {
    wrapTopicError("topics", () => parseTopicPattern(topic));
    query.append("topic", topic);
  }
  return `${streamUrl}?${query}`;
}

/** Checks a topic name option (`defaultTopic`), throwing `INVALID_OPTION`. */
export function checkTopicOption(name: string, topic: unknown): string {
  wrapTopicError(name, () => assertValidTopic(topic));
  return topic as string;
}

/** Checks the topics of a publish (1 to 8 names, no patterns), throwing `INVALID_OPTION`. */
export function checkPublishTopics(name: string, topics: readonly string[]): void {
  wrapTopicError(name, () => resolvePublishTopics(topics));
}

function wrapTopicError(name: string, check: () => unknown): void {
  try {
    check();
  } catch (cause) {
    if (!(cause instanceof SseError)) throw cause;
    throw new EventsClientError("INVALID_OPTION", `${name}: ${cause.message}`, { cause });
  }
}
