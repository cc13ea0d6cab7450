/**
 * The compiled server's entry (`bun run build:server` writes `dist/events-server`): the Bun
 * entry, with the web page built by `packages/web` embedded in the executable
 * (`bun build --compile --asset`) and served at `/` unless `--web-root` or `EVENTS_WEB_ROOT`
 * names another folder. Flags, environment twins and exit statuses are `bun run server`'s.
 */
import { existsSync } from "node:fs";
import { main } from "./bun.ts";

/**
 * Where `--asset packages/web/dist` (as the build script gives it) puts the page inside the
 * executable: Bun 1.4.5 keeps the folder under its own name (`dist`), below the executable's
 * virtual root (`import.meta.dir`, `/$bunfs/root`), where `node:fs` and `Bun.file` read it.
 */
const EMBEDDED_WEB_ROOT = `${import.meta.dir}/dist`;

if (import.meta.main) {
  // Run from source (`bun src/runtime/binary.ts`) nothing is embedded: keep the usual default.
  const defaults = existsSync(EMBEDDED_WEB_ROOT) ? { EVENTS_WEB_ROOT: EMBEDDED_WEB_ROOT } : {};
  await main({ ...defaults, ...process.env });
}
