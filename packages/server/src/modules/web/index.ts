/**
 * `/`: the browser client built by `packages/web` (`dist/`), served by `@elysiajs/static`;
 * a short page explaining how to build it when it is missing (never a crash).
 */
import { staticPlugin } from "@elysiajs/static";
import { Elysia } from "elysia";

/** Content types by extension, for runtimes where the static plugin serves bare bytes (Deno). */
const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json; charset=utf-8",
  map: "application/json; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  txt: "text/plain; charset=utf-8",
  webmanifest: "application/manifest+json",
  woff2: "font/woff2",
});

const FALLBACK_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>events server</title></head>
<body><h1>events server</h1>
<p>The web client is not built. Run <code>bun run --cwd packages/web build</code>, then restart the server.</p>
<p>Endpoints: <code>GET /events/stream</code>, <code>POST /events/trigger</code>,
<a href="/openapi.json">/openapi.json</a>, <a href="/healthz">/healthz</a>, <a href="/metrics">/metrics</a>.</p>
</body></html>
`;

function contentTypeFor(path: string): string | undefined {
  const name = path.endsWith("/") ? "index.html" : path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot === -1 ? undefined : CONTENT_TYPES[name.slice(dot + 1).toLowerCase()];
}

/**
 * Sent with every file of the web client. The page's own CSP is a `<meta>` tag, which cannot
 * say `frame-ancestors`: without these headers any site could frame the page (its send
 * button and token field) and trick a click.
 */
const WEB_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "x-content-type-options": "nosniff",
  "content-security-policy": "frame-ancestors 'none'",
  "x-frame-options": "DENY",
});

/**
 * Serves the files of `webRoot` at `/` (indexed once at start-up, `index.html` also at `/`),
 * revalidated by ETag on every load (`Cache-Control: no-cache`).
 * @example
 * app.use(await createWebModule("packages/web/dist"))
 */
export async function createWebModule(webRoot: string | false): Promise<Elysia> {
  const files = webRoot === false ? undefined : await indexFiles(webRoot);
  if (files === undefined) {
    return new Elysia({ name: "events/web" }).get(
      "/",
      () => new Response(FALLBACK_PAGE, { headers: { "content-type": "text/html; charset=utf-8", ...WEB_SECURITY_HEADERS } }),
      { detail: { hide: true } },
    ) as unknown as Elysia;
  }
  return new Elysia({ name: "events/web" })
    .onAfterHandle(({ set }) => {
      Object.assign(set.headers, WEB_SECURITY_HEADERS);
    })
    .mapResponse(({ responseValue, path }) => {
      // Off Bun the plugin answers with bare bytes: name the type, or browsers refuse the script.
      if (!(responseValue instanceof Response) || responseValue.headers.has("content-type")) return;
      const type = contentTypeFor(path);
      if (type === undefined) return;
      const headers = new Headers(responseValue.headers);
      headers.set("content-type", type);
      return new Response(responseValue.body, { status: responseValue.status, headers });
    })
    .use(files) as unknown as Elysia;
}

/** The static plugin over `webRoot`, or undefined when there is no built `index.html` there. */
async function indexFiles(webRoot: string): Promise<Elysia | undefined> {
  let files: Elysia;
  try {
    files = (await staticPlugin({
      assets: webRoot,
      prefix: "/",
      indexHTML: true,
      alwaysStatic: true,
      directive: "no-cache",
      maxAge: 0,
      silent: true,
      detail: { hide: true },
    })) as unknown as Elysia;
  } catch {
    // A missing or unreadable folder (ENOENT on Bun): the fallback page tells how to build it.
    return undefined;
  }
  return files.routes.some((route) => route.path === "/index.html") ? files : undefined;
}
