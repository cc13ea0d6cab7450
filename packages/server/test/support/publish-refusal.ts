/** Test support: what an in-process publish rejects with. */
import { EventsPublishError } from "../../src/modules/events/publisher.ts";

/** Awaits `promise` and returns its {@link EventsPublishError}; throws if it resolves or rejects with anything else. */
export async function refusal(promise: Promise<unknown>): Promise<EventsPublishError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EventsPublishError) return error;
    throw error;
  }
  throw new Error("the publish was not refused");
}
