/**
 * `--contract FILE`: loads a user's module exporting the event types to serve (a
 * `defineEvents(...)` result), so the standalone server serves them without a host app.
 */
import type { AnyEventsContract } from "@events/contract";
import { ServerOptionsError } from "./server-options-error.ts";

/** Whether a module export looks like what `defineEvents` returns. */
function isContract(value: unknown): value is AnyEventsContract {
  if (typeof value !== "object" || value === null) return false;
  const { events, names } = value as { events?: unknown; names?: unknown };
  return typeof events === "object" && events !== null && Array.isArray(names) && names.every((name) => typeof name === "string" && name in events);
}

/**
 * Imports the module at `path` (relative to `cwd`, or absolute) and returns its default export,
 * or its `events` export, when it is a `defineEvents(...)` result.
 * @throws {ServerOptionsError} `INVALID_OPTION` when the module cannot be loaded or exports no contract.
 * @example
 * const events = await loadContract("./my-events.ts", process.cwd());
 */
export async function loadContract(path: string, cwd: string): Promise<AnyEventsContract> {
  const url = new URL(path, `file://${cwd.endsWith("/") ? cwd : `${cwd}/`}`);
  let module: { default?: unknown; events?: unknown };
  try {
    module = (await import(url.href)) as { default?: unknown; events?: unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServerOptionsError("INVALID_OPTION", `--contract ${JSON.stringify(path)} cannot be loaded: ${reason.slice(0, 200)}`, { cause: error });
  }
  const contract = isContract(module.default) ? module.default : isContract(module.events) ? module.events : undefined;
  if (contract === undefined) {
    throw new ServerOptionsError(
      "INVALID_OPTION",
      `--contract ${JSON.stringify(path)} exports no event types; export a defineEvents(...) result as its default export or as \`events\``,
    );
  }
  return contract;
}
