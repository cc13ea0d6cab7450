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

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/**
 * The deepest nesting of arrays and objects a JSON body may have. Every body this server
 * takes is flat; the limit exists because Elysia 1.4's validation error `JSON.stringify`s the
 * refused value, which overflows the stack (a 500) on a body nested tens of thousands deep.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether `text` nests arrays and objects deeper than `limit` (brackets inside strings are text). */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++; // backslash: the next character is escaped
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > limit) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return false;
}

/**
 * Reads a JSON request body: 415 unless the content type is JSON, 413 as soon as more than
 * `maxBodyBytes` arrive (the rest is not read), 400 for bytes that are not UTF-8 JSON, 422
 * for JSON nested deeper than {@link MAX_JSON_DEPTH}.
 * Used as a route's `parse` hook, so Elysia validates the result against the body schema.
 * @example
 * app.post("/x", handler, { parse: ({ request }) => readJsonBody(request, { maxBodyBytes: 1024 }) })
 */
export async function readJsonBody(request: Request, options: BodyLimitOptions = {}): Promise<unknown> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_BODY_LIMIT_OPTIONS.maxBodyBytes;
  const contentType = request.headers.get("content-type");
  // The usual header needs no split, trim or pattern.
  const mediaType = contentType === "application/json" ? contentType : (contentType?.split(";")[0]?.trim() ?? "");
  if (mediaType !== "application/json" && !JSON_MEDIA_TYPE.test(mediaType)) {
    throw new HttpError(
      "UNSUPPORTED_MEDIA_TYPE",
      `Content-Type must be application/json (got ${mediaType === "" ? "none" : JSON.stringify(mediaType.slice(0, 60))})`,
    );
  }
  const bytes = await readCapped(request, maxBodyBytes);
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch (error) {
    throw new HttpError("INVALID_JSON", "request body is not valid UTF-8", { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    // Only a failed parse can be an empty body (JSON has no blank document): no trim per request.
    if (text.trim() === "") throw new HttpError("INVALID_JSON", 'request body is empty; send a JSON object like {"message":"hi"}');
    const reason = error instanceof Error ? `: ${error.message.slice(0, 120)}` : "";
    throw new HttpError("INVALID_JSON", `request body is not valid JSON${reason}`, { cause: error });
  }
  if (typeof value === "object" && value !== null && nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new HttpError(
      "VALIDATION_FAILED",
      `request body nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects; send a flat object like {"message":"hi"}`,
    );
  }
  return value;
}

async function readCapped(request: Request, maxBodyBytes: number): Promise<Uint8Array> {
  // A declared length within the limit (the onRequest hook refused larger ones) is read in
  // one native call: touching request.body builds a JS ReadableStream, which halved trigger
  // throughput on Bun 1.4.5 (bench/RESULTS.md). Bun never delivers more than Content-Length.
  // A body longer than its declared length (possible only for a Request built in-process;
  // HTTP framing stops at Content-Length) is still refused, after the read.
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isSafeInteger(declared) && declared >= 0 && declared <= maxBodyBytes) {
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > maxBodyBytes) throw tooLarge(maxBodyBytes, `exceeds ${maxBodyBytes} bytes`);
    return bytes;
  }
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
