/**
 * The page's topics field: what the user typed, as the list of topics and patterns the
 * stream subscribes to (`?topic=` once each), and which topic a log row can name.
 */

/** The server's default topic: what a stream without `?topic=` follows and a send without a topic reaches. */
export const DEFAULT_TOPIC = "events";

/**
 * The topics and patterns in the field's text, separated by commas and/or white space, in
 * order, without blanks or repeats. `[]` (an empty field) means the default topic: the
 * stream is requested without `?topic=`, exactly as before topics existed. Names are not
 * checked here: the server's 400 says what is wrong with one (see `refusal.ts`).
 * @example parseTopics("orders/42, users/7/*") // ["orders/42", "users/7/*"]
 */
export function parseTopics(text: string): string[] {
  const topics: string[] = [];
  for (const part of text.split(/[\s,]+/)) {
    if (part !== "" && !topics.includes(part)) topics.push(part);
  }
  return topics;
}

/**
 * The topic every event of a stream with this subscription comes from, or `undefined` when
 * the page cannot know it. `EventSource` hands a page only an event's type, data and id: the
 * `topic:` field the server writes for other topics is ignored, as the spec says for unknown
 * fields. So the topic of an event is known only when the stream follows one topic by name.
 * @example eventTopic([]) // "events"
 * @example eventTopic(["orders/42"]) // "orders/42"
 * @example eventTopic(["orders/42", "users/7"]) // undefined
 */
export function eventTopic(subscription: readonly string[]): string | undefined {
  if (subscription.length === 0) return DEFAULT_TOPIC;
  const [only] = subscription;
  return subscription.length === 1 && only !== undefined && !only.includes("*") ? only : undefined;
}

/** The subscription as a person reads it: `"a, b/*"`, or the default topic for `[]`. */
export function describeSubscription(subscription: readonly string[]): string {
  return subscription.length === 0 ? DEFAULT_TOPIC : subscription.join(", ");
}
