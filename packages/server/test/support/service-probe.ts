/**
 * Whether the tests that need a local service (Redis, PostgreSQL) can run: they skip with a
 * message, or fail when CI requires the service (`REQUIRE_<NAME>=1`), so CI never skips them silently.
 */
import { connect } from "node:net";

/** Whether something accepts TCP connections at `url`'s host and port (`defaultPort` when it names none). */
async function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return await new Promise<boolean>((resolve) => {
    const socket = connect(Number(port || defaultPort), hostname);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on("connect", () => done(true));
    socket.on("error", () => done(false));
  });
}

/** What {@link skipWithoutService} probes. */
export interface ServiceProbe {
  /** As people write it, e.g. "Redis". */
  readonly name: string;
  /** The variable that makes the service required, e.g. "REQUIRE_REDIS". */
  readonly requireVariable: string;
  readonly url: string;
  readonly defaultPort: number;
}

/**
 * True when the tests of `what` must skip (the service is missing and not required); throws
 * when it is missing and required.
 */
export async function skipWithoutService(service: ServiceProbe, what: string): Promise<boolean> {
  if (await reachable(service.url, service.defaultPort)) return false;
  const { name, requireVariable, url } = service;
  if (process.env[requireVariable] === "1") throw new Error(`${requireVariable}=1 but ${name} is not reachable at ${url}`);
  console.warn(`skipping ${what}: no ${name} at ${url} (set ${requireVariable}=1 to fail instead)`);
  return true;
}
