/// <reference lib="deno.ns" />
/**
 * The Deno entry (`deno task server`): the same app under `Deno.serve(app.fetch)`, the same
 * flags, and the same graceful shutdown on SIGINT/SIGTERM (exit 0 within 5 s).
 */
import { createApp } from "../app.ts";
import { createBroker } from "../create-broker.ts";
import { loadContract } from "../load-contract.ts";
import { loadServerOptions } from "../load-server-options.ts";
import { checkRequestUrl } from "../request-url.ts";
import { describeServerOptions, serverSecrets } from "../logging/effective-config.ts";
import { errorSummary, logBackgroundError } from "../logging/error-log.ts";
import { withRequestLog } from "../logging/request-log.ts";
import { createConsoleLogger } from "./console-logger.ts";
import { openServerWarning } from "./open-server-warning.ts";
import { withTimeout } from "./with-timeout.ts";

async function main(): Promise<void> {
  const loaded = loadServerOptions(Deno.args, Deno.env.toObject(), { readTextFile: (path) => Deno.readTextFileSync(path) });
  if (loaded.kind === "exit") {
    if (loaded.exitCode === 0) console.log(loaded.output);
    else console.error(loaded.output);
    Deno.exit(loaded.exitCode);
  }
  const options = loaded.options;
  const logger = createConsoleLogger({ logLevel: options.logLevel, logFormat: options.logFormat, secrets: serverSecrets(options) });
  logger.info("configuration", describeServerOptions(options));
  const openWarning = openServerWarning(options);
  if (openWarning !== undefined) logger.warn(openWarning);
  const controller = new AbortController();
  let app: Awaited<ReturnType<typeof createApp>>;
  let broker: Awaited<ReturnType<typeof createBroker>>;
  try {
    const { contract, ...appOptions } = options;
    const events = contract === undefined ? undefined : await loadContract(contract, Deno.cwd());
    broker = await createBroker(options, { onError: (error) => logBackgroundError(logger, error) });
    app = await createApp({ ...appOptions, broker, signal: controller.signal, logger, ...(events === undefined ? {} : { events }) });
  } catch (error) {
    logger.error(`events server cannot start: ${errorSummary(error)}`);
    Deno.exit(1);
  }
  const server = Deno.serve(
    {
      port: options.httpPort,
      hostname: options.host,
      onListen: ({ port }) => {
        const shown = options.host === "0.0.0.0" || options.host === "::" ? "localhost" : options.host;
        logger.info(`events server listening on http://${shown}:${port}/ (broker: ${options.broker}, runtime: deno)`);
      },
    },
    withRequestLog((incoming) => {
      const request = checkRequestUrl(incoming);
      return request instanceof Response ? request : app.fetch(request);
    }, { logger }),
  );
  let signals = 0;
  const onSignal = (signal: Deno.Signal): void => {
    signals += 1;
    if (signals > 1) Deno.exit(1);
    logger.info(`events server: ${signal}, shutting down`);
    const deadline = setTimeout(() => Deno.exit(0), 4900);
    Deno.unrefTimer(deadline);
    // End every stream first: Deno's shutdown waits for open responses to finish.
    controller.abort();
    void withTimeout(server.shutdown(), 4000)
      .then(() => withTimeout(broker.close(), 500))
      .then(() => Deno.exit(0));
  };
  Deno.addSignalListener("SIGINT", () => onSignal("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => onSignal("SIGTERM"));
}

if (import.meta.main) await main();
