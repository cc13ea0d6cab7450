import { createEventsClient } from "../client.ts";
import type { UntypedStreamEvent as DeliveredEvent } from "../events.ts";
import type { EventsClientOptions } from "../options.ts";
import type { StreamStatus } from "../status.ts";
import type { EventStream, StreamOptions } from "../stream.ts";
import { FakeClock } from "./fake-clock.ts";
import { scriptedFetch, type RecordedRequest, type Step } from "./scripted-fetch.ts";

/** What a scripted run produced. */
export interface StreamRun {
  readonly events: DeliveredEvent[];
  readonly statuses: StreamStatus[];
  readonly requests: RecordedRequest[];
  readonly clock: FakeClock;
  readonly error: unknown;
  readonly stream: EventStream<DeliveredEvent>;
}

/** The delays of the `reconnecting` statuses, in order. */
export function reconnectDelays(statuses: readonly StreamStatus[]): number[] {
  return statuses.flatMap((status) => (status.state === "reconnecting" ? [status.delayMs] : []));
}

/** The `data.message` of each message event. */
export function messages(events: readonly DeliveredEvent[]): string[] {
  return events.flatMap((event) => (event.type === "message" ? [(event.data as { message: string }).message] : []));
}

/**
 * Runs a stream against a scripted server on simulated time until it ends (the script runs
 * out into a 204), fails, or yields `maxEvents` events.
 */
export async function runStream(
  steps: readonly Step[],
  options: { client?: EventsClientOptions<unknown, string>; stream?: StreamOptions; maxEvents?: number; clock?: FakeClock } = {},
): Promise<StreamRun> {
  const clock = options.clock ?? new FakeClock();
  const server = scriptedFetch(steps);
  const statuses: StreamStatus[] = [];
  const client = createEventsClient("http://events.test", {
    fetch: server.fetch,
    timers: clock,
    now: clock.now,
    random: () => 0.5,
    onStatus: (status) => statuses.push(status),
    ...options.client,
  });
  const stream = client.stream(options.stream);
  const events: DeliveredEvent[] = [];
  let error: unknown;
  try {
    for await (const event of stream) {
      events.push(event);
      if (events.length === options.maxEvents) break;
    }
  } catch (caught) {
    error = caught;
  }
  return { events, statuses, requests: server.requests, clock, error, stream };
}
