/**
 * The trigger's `200` answer, built for the least work per trigger: the trigger path is
 * measured against a bare route (bench/NOTES.md), and the status line seldom changes.
 */
import type { StoredEvent } from "@events/sse-core";
import type { TriggerResponse } from "@events/contract";
import type { EventsStats } from "./stats.ts";

/**
 * Returns the function that counts a stored trigger and answers it. Made once per service,
 * not per trigger (a closure per trigger was measurable), and it reuses the status line
 * while the client count is unchanged rather than building the string every time.
 * `clientsOf` tells how many streams of this node follow one of the event's topics.
 * @example
 * const answer = createTriggerAnswer((topics) => local.count(topics), stats);
 * answer(broker.publishSync(input)); // { status: "Event broadcast to 3 clients", id, clients: 3 }
 */
export function createTriggerAnswer(
  clientsOf: (topics: readonly string[]) => number,
  stats: EventsStats,
): (stored: StoredEvent) => TriggerResponse {
  let statusClients = -1;
  let status = "";
  return (stored) => {
    stats.triggerPublished();
    const clients = clientsOf(stored.topics);
    if (clients !== statusClients) {
      statusClients = clients;
      status = `Event broadcast to ${clients} clients`;
    }
    return { status, id: stored.id, clients };
  };
}
