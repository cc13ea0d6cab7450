/**
 * A background job outside any request: the warehouse ships every paid order and tells its
 * followers, through the events plugin's publisher (the same one routes get as `events`).
 */
import type { EventsPublisher } from "@events/server";
import { type events, orderTopic } from "./events.ts";
import { type Order, type OrderStore, orderUpdate } from "./orders.ts";

/** Options of {@link createShippingJob}. */
export interface ShippingJobOptions {
  readonly store: OrderStore;
  /** The events plugin's publisher (`eventsPlugin(...).publisher`). */
  readonly publisher: EventsPublisher<typeof events>;
  /** Receives an error a run could not publish (the order stays shipped). @default ignore */
  readonly onError?: (error: unknown) => void;
}

/** The shipping job: run it once, or every so often with {@link ShippingJob.start}. */
export interface ShippingJob {
  /** Ships every paid order, publishes `order.updated` for each, and resolves with them. */
  runOnce(): Promise<Order[]>;
  /** Runs every `intervalMs` until the returned function is called. */
  start(intervalMs: number): () => void;
}

/**
 * Creates the job.
 * @example
 * const job = createShippingJob({ store, publisher: live.publisher });
 * const stop = job.start(10_000);
 */
export function createShippingJob(options: ShippingJobOptions): ShippingJob {
  const { store, publisher, onError } = options;
  const runOnce = async (): Promise<Order[]> => {
    const shipped = store.withStatus("paid").map((order) => store.move(order, "shipped"));
    for (const order of shipped) {
      await publisher.publish(orderTopic(order.id), "order.updated", orderUpdate(order)).catch((error: unknown) => onError?.(error));
    }
    return shipped;
  };
  return {
    runOnce,
    start(intervalMs) {
      const timer = setInterval(() => void runOnce(), intervalMs);
      return () => clearInterval(timer);
    },
  };
}
