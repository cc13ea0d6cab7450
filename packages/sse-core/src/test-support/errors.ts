/** How tests read the `SseError` code an action throws or a promise rejects with. */
import { expect } from "vitest";
import { SseError } from "../errors.ts";

/** The code of the `SseError` `run` throws, a note when it throws something else, undefined when it does not throw. */
export function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof SseError ? error.code : `not an SseError: ${String(error)}`;
  }
  return undefined;
}

/** {@link codeOf} for a promise's rejection. */
export async function rejectionCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return error instanceof SseError ? error.code : `not an SseError: ${String(error)}`;
  }
  return undefined;
}

/** The `SseError` `action` throws; fails the test when it throws something else or nothing. */
export function thrown(action: () => unknown): SseError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(SseError);
    return error as SseError;
  }
  throw new Error("expected an SseError, nothing was thrown");
}
