/**
 * Keeping an event stream's connection out of Bun's idle timeout (10 s by default) when the
 * server is reachable from the request (Elysia's `context.server`, set by `app.listen`).
 * Under `Bun.serve({ fetch: app.fetch })` it is not (Elysia drops Bun's second `fetch`
 * argument), and the plugin's keepalive comments, written more often than the timeout, keep
 * the connection busy instead.
 */

/** The part of a Bun server this module uses; Deno and `app.handle` have none. */
export interface IdleTimeoutServer {
  timeout?(request: Request, seconds: number): void;
}

/**
 * Asks the server, when there is one that can, never to close this request's connection for
 * idleness. Does nothing without a server (Deno, `app.handle`, `Bun.serve({ fetch: app.fetch })`).
 * @example
 * exemptFromIdleTimeout(context.server, context.request);
 */
export function exemptFromIdleTimeout(server: IdleTimeoutServer | null | undefined, request: Request): void {
  if (typeof server?.timeout !== "function") return;
  try {
    server.timeout(request, 0);
  } catch {
    // A request the server did not receive itself (rebuilt in-process): the keepalive covers it.
  }
}
