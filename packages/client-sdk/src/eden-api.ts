import type { ResolvedEventsClientOptions } from "./options.ts";

/** The options every Eden treaty client of the SDK is created with (a plain shape: no Eden type leaves the package). */
export interface EdenConfig {
  readonly fetcher: typeof fetch;
  readonly headers: Readonly<Record<string, string>>;
  readonly parseDate: false;
  readonly keepDomain: true;
}

/**
 * The Eden treaty options for `client`: its `fetch` and headers. Eden is used for the
 * ordinary request/response routes (trigger, publish), never for the stream.
 */
export function edenConfig(client: ResolvedEventsClientOptions): EdenConfig {
  return {
    fetcher: client.fetch as typeof fetch,
    headers: client.headers,
    // Eden would turn date-like strings (a message, an id, published data) into Date objects.
    parseDate: false,
    keepDomain: true,
  };
}
