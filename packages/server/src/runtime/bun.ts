/**
 * The Bun entry (`bun run server`): reads flags, serves the app with `Bun.serve`, prints
 * the URL, and shuts down gracefully on SIGINT/SIGTERM (exit 0 within 5 s).
 */
import type { Broker } from "@events/sse-core";
import { createApp } from "../app.ts";
import { createBroker } from "../create-broker.ts";
import { errorResponse, HttpError } from "../errors.ts";
import { loadContract } from "../load-contract.ts";
import { describeServerOptions, serverSecrets } from "../logging/effective-config.ts";
import { errorSummary, logBackgroundError, logInternalError } from "../logging/error-log.ts";
import { createLogger, type Logger } from "../logging/logger.ts";
import { withRequestLog } from "../logging/request-log.ts";
import { loadServerOptions } from "../load-server-options.ts";
import { resolveServerOptions, type ServerOptions } from "../options.ts";
import { checkRequestUrl } from "../request-url.ts";
import { readFileSync } from "node:fs";
import { bunDirectBody } from "./bun-direct-body.ts";
import { createConsoleLogger } from "./console-logger.ts";
import { openServerWarning } from "./open-server-warning.ts";
import { reportError, reportInternalError } from "./report-error.ts";
import { withTimeout } from "./with-timeout.ts";

/** Bun-specific serving knobs (tests shrink them). */
export interface BunServeOptions {
  /**
   * Seconds a connection may sit idle before Bun closes it. Event streams are exempt
   * (`server.timeout(request, 0)`), so this only reaps idle keep-alive sockets. @default 10 (Bun's default)
   */
  readonly idleTimeoutSeconds?: number;
  /** The longest a graceful shutdown waits for streams to end before closing sockets. @default 4000 (ms) */
  readonly shutdownGraceMs?: number;
  /**
   * Receives a line per request (a stream's when it ends), background errors at `warn` and the
   * stack of every error answered 500 at `error`. `main()` passes one built from `--log-level`
   * and `--log-format`. @default none: no request lines; errors as below
   */
  readonly logger?: Logger;
  /** Receives background errors (a broker reconnecting). @default a `warn` line on `logger`, else on stderr */
  readonly onError?: (error: unknown) => void;
  /** Receives errors answered with 500 INTERNAL. @default an `error` line with the stack on `logger`, else on stderr */
  readonly onInternalError?: (error: unknown) => void;
  /** An already-built broker (else one is built from `options.broker`). @default built */
  readonly broker?: Broker;
}

/** A running server. */
export interface RunningBunServer {
  /** Where clients reach it, e.g. `http://localhost:8080/`. */
  readonly url: URL;
  /** Stops accepting, ends every stream, waits for them (at most the grace period), closes the broker. Idempotent. */
  shutdown(): Promise<void>;
}

/** Writes nothing: `withRequestLog` on it returns the handler itself. */
const SILENT: Logger = createLogger({ level: "silent" });

function publicUrl(host: string, port: number): URL {
  const shown = host === "0.0.0.0" || host === "::" || host === "" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return new URL(`http://${shown}:${port}/`);
}


/**
 * Starts the events server on Bun.
 * @example
 * const running = await startBunServer({ httpPort: 0, host: "127.0.0.1" });
 * await fetch(new URL("/healthz", running.url));
 * await running.shutdown();
 */
export async function startBunServer(
  options: Partial<ServerOptions> = {},
  serve: BunServeOptions = {},
): Promise<RunningBunServer> {
  const resolved = resolveServerOptions(options);
  const { logger } = serve;
  const onError = serve.onError ?? (logger === undefined ? reportError : (error: unknown) => logBackgroundError(logger, error));
  const onInternalError = serve.onInternalError ?? (logger === undefined ? reportInternalError : (error: unknown) => logInternalError(logger, error));
  // With a logger the app logs its own 500s on it (and streams' ends); a hook given hears them too.
  const appLogging = logger === undefined
    ? { onInternalError }
    : { logger, ...(serve.onInternalError === undefined ? {} : { onInternalError: serve.onInternalError }) };
  const { contract, ...appOptions } = resolved;
  const events = contract === undefined ? undefined : await loadContract(contract, process.cwd());
  const broker = serve.broker ?? (await createBroker(resolved, { onError }));
  const controller = new AbortController();
  // Served by Bun.serve directly: every stream body is Bun's direct stream (see bun-direct-body.ts).
  const app = await createApp({ ...appOptions, broker, signal: controller.signal, streamBody: bunDirectBody, ...appLogging, ...(events === undefined ? {} : { events }) });
  const server = Bun.serve({
    port: resolved.httpPort,
    hostname: resolved.host,
    idleTimeout: serve.idleTimeoutSeconds ?? 10,
    // Bun's development mode answers an uncaught error with a page of stack frames, paths and
    // source lines; never serve that, whatever NODE_ENV says.
    development: false,
    // The last resort for an error that escaped the app: logged with its stack, answered bare.
    error(error) {
      onInternalError(error);
      return errorResponse(new HttpError("INTERNAL", "internal server error"));
    },
    fetch: withRequestLog<[Bun.Server<undefined>]>((incoming, bunServer) => {
      const request = checkRequestUrl(incoming);
      if (request instanceof Response) return request;
      // Only a GET can open an event stream; every other answer is handed back as Elysia
      // returns it. Not an async function: wrapping the trigger's promise in another cost
      // two microtask turns per request.
      if (request.method !== "GET") return app.fetch(request);
      return Promise.resolve(app.fetch(request)).then((response) => {
        // Bun closes a connection idle for `idleTimeout` seconds, and an event stream may be quiet
        // far longer (keepalive off or slower than the timeout). Bun 1.4.5 does not apply the
        // timeout to a response in progress; say so explicitly rather than rely on it.
        if (response.headers.get("content-type") === "text/event-stream") bunServer.timeout(incoming, 0);
        return response;
      });
    }, { logger: logger ?? SILENT }),
  });
  let shuttingDown: Promise<void> | undefined;
  return {
    url: publicUrl(resolved.host, server.port ?? resolved.httpPort),
    shutdown(): Promise<void> {
      shuttingDown ??= (async () => {
        const stopped = server.stop(false);
        controller.abort();
        if (!(await withTimeout(stopped, serve.shutdownGraceMs ?? 4000))) await server.stop(true);
        await withTimeout(broker.close(), 500);
      })();
      return shuttingDown;
    },
  };
}

/**
 * The command line (`bun run server`, and the compiled `events-server`, which passes its
 * embedded page as a default): reads flags and `env`, serves until SIGINT/SIGTERM.
 */
export async function main(env: Readonly<Record<string, string | undefined>> = process.env): Promise<void> {
  const loaded = loadServerOptions(Bun.argv.slice(2), env, { readTextFile: (path) => readFileSync(path, "utf8") });
  if (loaded.kind === "exit") {
    if (loaded.exitCode === 0) console.log(loaded.output);
    else console.error(loaded.output);
    process.exit(loaded.exitCode);
  }
  const options = loaded.options;
  const logger = createConsoleLogger({ logLevel: options.logLevel, logFormat: options.logFormat, secrets: serverSecrets(options) });
  let running: RunningBunServer | undefined;
  let signals = 0;
  const onSignal = (signal: string): void => {
    signals += 1;
    if (signals > 1 || running === undefined) process.exit(signals > 1 ? 1 : 0);
    logger.info(`events server: ${signal}, shutting down`);
    // The hard deadline: whatever happens, leave within 5 s.
    setTimeout(() => process.exit(0), 4900).unref();
    void running.shutdown().then(() => process.exit(0));
  };
  // Installed before listening, so a signal right after the URL is printed is handled.
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  logger.info("configuration", describeServerOptions(options));
  const openWarning = openServerWarning(options);
  if (openWarning !== undefined) logger.warn(openWarning);
  try {
    running = await startBunServer(options, { logger });
  } catch (error) {
    logger.error(`events server cannot start: ${errorSummary(error)}`);
    process.exit(1);
  }
  logger.info(`events server listening on ${running.url.href} (broker: ${options.broker})`);
}

if (import.meta.main) await main();
