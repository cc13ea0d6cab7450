/**
 * Request-body limits: refuse an oversized body from its `Content-Length` before reading
 * any of it, and read JSON bodies (chunked ones included) with a hard byte cap.
 */
import { Elysia } from "elysia";
import { HttpError } from "../errors.ts";

/** Options of {@link createBodyLimitPlugin} and {@link readJsonBody}. */
export interface BodyLimitOptions {
  /** Largest request body accepted, in bytes. @default 131072 */
  readonly maxBodyBytes?: number;
}

/** The defaults of {@link BodyLimitOptions}. */
export const DEFAULT_BODY_LIMIT_OPTIONS: Readonly<Required<BodyLimitOptions>> = Object.freeze({
  maxBodyBytes: 128 * 1024,
});

function tooLarge(maxBodyBytes: number, detail: string): HttpError {
  return new HttpError(
    "PAYLOAD_TOO_LARGE",
    `request body ${detail}; the limit is ${maxBodyBytes} bytes (server flag --max-body)`,
  );
}

/**
 * Refuses, for every route, a request whose `Content-Length` exceeds the limit: 413 before
 * the body is read. Bodies without a length (chunked) are capped by {@link readJsonBody}.
 * @example
 * new Elysia().use(createBodyLimitPlugin({ maxBodyBytes: 65536 }))
 */
export function createBodyLimitPlugin(options: BodyLimitOptions = {}): Elysia {
  const { maxBodyBytes } = { ...DEFAULT_BODY_LIMIT_OPTIONS, ...options };
  return new Elysia({ name: "events/body-limit", seed: maxBodyBytes }).onRequest(({ request }) => {
    const header = request.headers.get("content-length");
    if (header === null) return;
    const length = Number(header);
    if (Number.isFinite(length) && length > maxBodyBytes) {
      throw tooLarge(maxBodyBytes, `is ${length} bytes`);
    }
  }) as unknown as Elysia;
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/**
 * Reads a JSON request body: 415 unless the content type is JSON, 413 as soon as more than
 * `maxBodyBytes` arrive (the rest is not read), 400 for bytes that are not UTF-8 JSON.
 * Used as a route's `parse` hook, so Elysia validates the result against the body schema.
 * @example
 * app.post("/x", handler, { parse: ({ request }) => readJsonBody(request, { maxBodyBytes: 1024 }) })
 */
export async function readJsonBody(request: Request, options: BodyLimitOptions = {}): Promise<unknown> {
  const { maxBodyBytes } = { ...DEFAULT_BODY_LIMIT_OPTIONS, ...options };
  const mediaType = request.headers.get("content-type")?.split(";")[0]?.trim() ?? "";
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new HttpError(
      "UNSUPPORTED_MEDIA_TYPE",
      `Content-Type must be application/json (got ${mediaType === "" ? "none" : JSON.stringify(mediaType.slice(0, 60))})`,
    );
  }
  const bytes = await readCapped(request, maxBodyBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new HttpError("INVALID_JSON", "request body is not valid UTF-8", { cause: error });
  }
  if (text.trim() === "") throw new HttpError("INVALID_JSON", 'request body is empty; send a JSON object like {"message":"hi"}');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? `: ${error.message.slice(0, 120)}` : "";
    throw new HttpError("INVALID_JSON", `request body is not valid JSON${reason}`, { cause: error });
  }
}

async function readCapped(request: Request, maxBodyBytes: number): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBodyBytes) {
      // Stop reading: the client is told now, the rest of its body is never buffered.
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBodyBytes, `exceeds ${maxBodyBytes} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
