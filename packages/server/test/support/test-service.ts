/**
 * Test support: an {@link EventsService} on a {@link FakeBroker}, with small limits and no
 * keepalive, for the service's own tests and the events module's.
 */
import { EventsService, type EventsServiceOptions } from "../../src/modules/events/service.ts";
import { FakeBroker, type FakeBrokerOptions } from "./fake-broker.ts";

/** A service, its fake broker, and the controller whose abort is the shutdown. */
export interface TestService {
  readonly service: EventsService;
  readonly broker: FakeBroker;
  readonly shutdown: AbortController;
}

/** Builds the service (retry 2500 ms, 10 clients, 1 MiB buffers); `options` override, `fake` shapes the broker. */
export function createTestService(
  { fake, ...options }: Omit<Partial<EventsServiceOptions>, "broker" | "signal"> & { readonly fake?: FakeBrokerOptions } = {},
): TestService {
  const broker = new FakeBroker(fake);
  const shutdown = new AbortController();
  const service = new EventsService({
    broker,
    keepAlive: false,
    retryMs: 2500,
    maxClients: 10,
    maxBufferBytes: 1 << 20,
    signal: shutdown.signal,
    ...options,
  });
  return { service, broker, shutdown };
}
