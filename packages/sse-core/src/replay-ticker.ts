import { createSharedTicker, type SharedTicker } from "./shared-ticker.ts";

let shared: SharedTicker | undefined;

/** The process's one replay-feeding timer, made on first use; it runs only while a replay is fed. */
export function sharedReplayTicker(): SharedTicker {
  shared ??= createSharedTicker({ name: "replay intervalMs", intervalMs: 10 });
  return shared;
}
