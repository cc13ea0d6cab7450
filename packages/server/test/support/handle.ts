/**
 * Test support: requests answered in-process by `app.handle(new Request(...))` (no socket),
 * and readers for the answers the routes give.
 */
import { createApp, type App, type AppOptions } from "../../src/app.ts";
import { FakeBroker, type FakeBrokerOptions } from "./fake-broker.ts";

/** Anything with Elysia's `handle`: the whole app, or a host app a module is mounted in. */
export interface Handler {
  handle(request: Request): Promise<Response>;
}

/** An app on a {@link FakeBroker}, with what a test inspects. */
export interface TestApp {
  readonly app: App;
  readonly broker: FakeBroker;
  /** Aborts to shut the app down. */
  readonly shutdown: AbortController;
  /** Every error the app answered with 500 INTERNAL, as `onInternalError` heard it. */
  readonly internalErrors: unknown[];
}

/** Builds the app (no web client) on a fresh {@link FakeBroker}; `options` override. */
export async function createTestApp(options: AppOptions & { readonly fake?: FakeBrokerOptions } = {}): Promise<TestApp> {
  const { fake, ...appOptions } = options;
  const broker = new FakeBroker(fake);
  const shutdown = new AbortController();
  const internalErrors: unknown[] = [];
  const app = await createApp({
    webRoot: false,
    keepAliveMs: false,
    broker,
    signal: shutdown.signal,
    onInternalError: (error) => internalErrors.push(error),
    ...appOptions,
  });
  return { app, broker, shutdown, internalErrors };
}

/** `app.handle` on `http://localhost<path>`. */
export function request(app: Handler, path: string, init: RequestInit = {}): Promise<Response> {
  return app.handle(new Request(`http://localhost${path}`, init));
}

/** `POST /events/trigger` with a JSON body (a string is sent as it is) and extra headers. */
export function postTrigger(app: Handler, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return request(app, "/events/trigger", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** An error answer: its status, the `{ error: { code, message } }` body, and its headers. */
export interface ErrorAnswer {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly headers: Headers;
}

/** Reads an error answer; fails when the body is not the server's JSON error shape. */
export async function errorOf(response: Response): Promise<ErrorAnswer> {
  expectJson(response);
  const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
  const { code, message } = body.error ?? {};
  if (typeof code !== "string" || typeof message !== "string" || Object.keys(body).length !== 1) {
    throw new Error(`not an error answer: ${JSON.stringify(body)}`);
  }
  return { status: response.status, code, message, headers: response.headers };
}

function expectJson(response: Response): void {
  const type = response.headers.get("content-type") ?? "";
  if (!type.startsWith("application/json")) throw new Error(`expected a JSON answer, got ${JSON.stringify(type)} (${response.status})`);
}

/** One sample of `GET /metrics`, e.g. `metric(app, 'events_triggers_rejected_total{reason="UNAUTHORIZED"}')`; undefined when absent. */
export async function metric(app: Handler, sample: string): Promise<number | undefined> {
  const text = await (await request(app, "/metrics")).text();
  for (const line of text.split("\n")) {
    if (line.startsWith(`${sample} `)) return Number(line.slice(sample.length + 1));
  }
  return undefined;
}
