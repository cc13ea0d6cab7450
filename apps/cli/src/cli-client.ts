import { createEventsClient, type EventsClient, type StreamStatus } from "@events/client-sdk";
import { createCliFetch, type CliFetch } from "./cli-fetch.ts";
import type { GlobalOptions } from "./global-options.ts";
import type { CliIo } from "./io.ts";

/** Options of {@link createCliClient} beyond the global flags. */
export interface CliClientOptions {
  /** Told of every stream state change. @default undefined */
  readonly onStatus?: (status: StreamStatus) => void;
  /** Wraps the CLI's fetch (`--raw` reads the stream's bytes through it). @default undefined */
  readonly wrapFetch?: (fetch: CliFetch) => CliFetch;
}

/**
 * The SDK client every command uses, built from the global flags in one place: the base
 * URL, the token, `-H` headers, and the CLI's fetch (bounded by `--timeout`, logged with `--verbose`).
 */
export function createCliClient(global: GlobalOptions, io: CliIo, options: CliClientOptions = {}): EventsClient {
  const log = global.verbose ? (line: string): void => void io.stderr.write(`${line}\n`) : undefined;
  const headerNames = Object.keys(global.headers ?? {});
  const fetch = createCliFetch({ fetch: io.fetch, timeoutMs: global.timeoutMs, log, headerNames });
  return createEventsClient(global.url, {
    ...(global.token === undefined ? {} : { token: global.token }),
    ...(global.headers === undefined ? {} : { headers: global.headers }),
    ...(options.onStatus === undefined ? {} : { onStatus: options.onStatus }),
    fetch: options.wrapFetch === undefined ? fetch : options.wrapFetch(fetch),
  });
}
