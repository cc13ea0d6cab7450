import { describeValue } from "@events/sse-core";
import { EventsClientError } from "./errors.ts";

/**
 * A function that returns a fresh Bearer token: called before every connection attempt of a
 * stream (the first and each reconnect) and before every `trigger()`/`publish()`.
 */
export type TokenFunction = () => string | Promise<string>;

/** The `token` option: a fixed token, or a {@link TokenFunction} that refreshes it. */
export type TokenOption = string | TokenFunction;

/** Why a token value is refused: the one rule for a fixed token and a function's result. */
function tokenProblem(token: unknown): string | undefined {
  if (typeof token !== "string") return "must be a string";
  if (token === "") return "must not be empty";
  // A CR or LF would end the Authorization header early (header injection); fetch refuses it anyway.
  if (/[\r\n]/.test(token)) return "must not contain CR or LF";
  return undefined;
}

/**
 * Checks the `token` option once, at construction: a fixed token must be a non-empty string
 * without CR or LF, anything else a function (its values are checked on each call).
 * Throws `INVALID_OPTION`.
 */
export function checkTokenOption(token: unknown): TokenOption | undefined {
  if (token === undefined || typeof token === "function") return token as TokenFunction | undefined;
  const problem = tokenProblem(token);
  if (problem !== undefined) {
    throw new EventsClientError("INVALID_OPTION", `token ${problem}: pass a non-empty string without CR or LF, or a function returning one (got ${describeValue(token)})`);
  }
  return token as string;
}

/** The `Authorization` header value for a checked token. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}

/**
 * Calls `getToken` and checks its value. Throws `TOKEN_ERROR` when it throws or rejects (or
 * `signal` aborts while it runs: a function that never settles must not hold the stream), and
 * `INVALID_TOKEN` when its value is not a non-empty string without CR or LF.
 */
export async function fetchToken(getToken: TokenFunction, signal?: AbortSignal): Promise<string> {
  let token: unknown;
  try {
    token = await untilAborted(Promise.resolve().then(getToken), signal);
  } catch (cause) {
    throw new EventsClientError("TOKEN_ERROR", `the token function failed (${String(cause)}); no request was sent`, { cause });
  }
  const problem = tokenProblem(token);
  if (problem !== undefined) {
    throw new EventsClientError("INVALID_TOKEN", `the token function's value ${problem}; return the token itself, without "Bearer " (got ${describeValue(token)})`);
  }
  return token as string;
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * `headers` with the Authorization of a fresh token from `getToken` (when there is one; a
 * fixed token is already in `headers`). Throws like {@link fetchToken}.
 */
export async function withFreshToken(
  headers: Readonly<Record<string, string>>,
  getToken: TokenFunction | undefined,
  signal?: AbortSignal,
): Promise<Readonly<Record<string, string>>> {
  if (getToken === undefined) return headers;
  return { ...headers, authorization: bearer(await fetchToken(getToken, signal)) };
}
