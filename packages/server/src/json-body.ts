/**
 * Reading a JSON request body within limits: an oversized body is refused from its
 * `Content-Length` before any of it is read, a chunked one as soon as it passes the cap.
 */
import { HttpError } from "./errors.ts";
import { findDuplicateKey } from "./json-duplicate-key.ts";
import { DEFAULT_SERVER_OPTIONS } from "./options.ts";

/** Options of {@link readJsonBody}. */
export interface BodyLimitOptions {
  /** Largest request body accepted, in bytes. @default 131072 (the server's `--max-body` default) */
  readonly maxBodyBytes?: number;
}

function tooLarge(maxBodyBytes: number, detail: string): HttpError {
  return new HttpError(
    "PAYLOAD_TOO_LARGE",
    `request body ${detail}; the limit is ${maxBodyBytes} bytes (server flag --max-body)`,
  );
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/**
 * The deepest nesting of arrays and objects a JSON body may have. Every body this server
 * takes is flat; the limit exists because Elysia 1.4's validation error `JSON.stringify`s the
 * refused value, which overflows the stack (a 500) on a body nested tens of thousands deep.
 */
export const MAX_JSON_DEPTH = 32;

/** How many times `char` occurs in `text`, counting no further than `stopAfter`. */
function countUpTo(text: string, char: string, stopAfter: number): number {
  let count = 0;
  for (let at = text.indexOf(char); at !== -1 && count <= stopAfter; at = text.indexOf(char, at + 1)) count++;
  return count;
}

/** Whether `text` nests arrays and objects deeper than `limit` (brackets inside strings are text). */
function nestsDeeperThan(text: string, limit: number): boolean {
  // Nesting deeper than `limit` takes more than `limit` openers: native searches rule out
  // the usual flat body without walking it character by character.
  if (countUpTo(text, "{", limit) + countUpTo(text, "[", limit) <= limit) return false;
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
 * The members of a parsed object or array when every one is a primitive (then it nests one
 * level, with no text to walk), else -1.
 */
function flatMemberCount(value: object): number {
  let count = 0;
  for (const key in value) {
    const member: unknown = (value as Record<string, unknown>)[key];
    if (typeof member === "object" && member !== null) return -1;
    count++;
  }
  return count;
}

/**
 * Whether the JSON `text` of a flat object may write a key twice. Each member's name is
 * followed by exactly one colon, so no more colons than `JSON.parse` kept members means no
 * name was written twice: one native search instead of a walk for the usual body, whose
 * values hold no colon (a colon inside a value only sends it to the walk).
 */
function mayRepeatAKey(text: string, members: number): boolean {
  return countUpTo(text, ":", members) > members;
}

/**
 * Reads a JSON request body: 415 unless the content type is JSON, 413 when `Content-Length`
 * passes `maxBodyBytes` (nothing is read) or as soon as more than that arrives (the rest is
 * not read), 400 for bytes that are not UTF-8 JSON, 422 for JSON nested deeper than
 * {@link MAX_JSON_DEPTH}.
 * Used as a route's `parse` hook, so Elysia validates the result against the body schema;
 * pass the media type Elysia already read (its second argument) to skip reading it again.
 * @example
 * app.post("/x", handler, { parse: ({ request }, mediaType) => readJsonBody(request, { maxBodyBytes: 1024 }, mediaType) })
 */
export function readJsonBody(request: Request, options: BodyLimitOptions = {}, mediaType?: string): Promise<unknown> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_SERVER_OPTIONS.maxBodyBytes;
  // Elysia hands "" for a request without a body stream (Content-Length: 0): read the header then.
  const contentType = request.headers.get("content-type");
  const type =
    mediaType === "application/json" ? mediaType : mediaType === undefined || mediaType === "" ? mediaTypeOf(contentType) : mediaType.trim();
  if (type !== "application/json" && !JSON_MEDIA_TYPE.test(type)) {
    return Promise.reject(
      new HttpError(
        "UNSUPPORTED_MEDIA_TYPE",
        `Content-Type must be application/json (got ${type === "" ? "none" : JSON.stringify(type.slice(0, 60))})`,
      ),
    );
  }
  const charset = charsetOf(contentType);
  if (charset !== undefined && charset !== "utf-8") {
    return Promise.reject(
      new HttpError(
        "UNSUPPORTED_MEDIA_TYPE",
        `JSON bodies must be UTF-8 (got charset=${JSON.stringify(charset.slice(0, 40))}); send Content-Type: application/json or application/json; charset=utf-8`,
      ),
    );
  }
  // One promise chain, no async wrapper: this runs on every trigger (bench/NOTES.md).
  return readCapped(request, maxBodyBytes).then((bytes) => parseJsonBytes(bytes, maxBodyBytes));
}

/**
 * UTF-8 JSON bytes to a value: 413 over the limit, 400 for bytes that are not UTF-8 JSON,
 * 422 when nested too deep.
 */
function parseJsonBytes(bytes: Uint8Array, maxBodyBytes: number): unknown {
  // A body longer than its Content-Length is possible only for a Request built in-process
  // (HTTP framing stops at Content-Length); it is still refused.
  if (bytes.byteLength > maxBodyBytes) throw tooLarge(maxBodyBytes, `exceeds ${maxBodyBytes} bytes`);
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
  if (typeof value !== "object" || value === null) return value;
  const members = flatMemberCount(value);
  // A flat array holds no object, so no key at all.
  const checkKeys = members === -1 || (!Array.isArray(value) && mayRepeatAKey(text, members));
  const duplicate = checkKeys ? findDuplicateKey(text) : undefined;
  if (duplicate !== undefined) {
    throw new HttpError(
      "INVALID_JSON",
      `request body has the key ${JSON.stringify(duplicate.slice(0, 60))} more than once in one object; send each key once`,
    );
  }
  if (members === -1 && nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new HttpError(
      "VALIDATION_FAILED",
      `request body nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects; send a flat object like {"message":"hi"}`,
    );
  }
  return value;
}

/**
 * The `charset` parameter of a `Content-Type` value, lower-cased and unquoted (`utf8`
 * counts as `utf-8`); `undefined` when there is none. JSON is UTF-8 (RFC 8259 §8.1): any other
 * charset would be decoded as UTF-8 and mean something else than the sender meant.
 */
function charsetOf(contentType: string | null): string | undefined {
  // The usual `application/json` has no parameters: no regex per trigger.
  if (contentType === null || !contentType.includes(";")) return undefined;
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  if (match === null) return undefined;
  const charset = (match[1] ?? match[2] ?? "").toLowerCase();
  return charset === "utf8" ? "utf-8" : charset;
}

/** The media type of a `Content-Type` value, without parameters; `""` when there is none. */
function mediaTypeOf(contentType: string | null): string {
  if (contentType === null) return "";
  // The usual `application/json` needs no split.
  const end = contentType.indexOf(";");
  return (end === -1 ? contentType : contentType.slice(0, end)).trim();
}

function readCapped(request: Request, maxBodyBytes: number): Promise<Uint8Array> {
  // A declared length within the limit is read in one native call: touching request.body
  // builds a JS ReadableStream, which halved trigger throughput on Bun 1.4.5
  // (bench/NOTES.md). The length read is checked against the limit after parsing.
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isSafeInteger(declared) && declared >= 0) {
    if (declared > maxBodyBytes) return Promise.reject(tooLarge(maxBodyBytes, `is ${declared} bytes`));
    // `bytes()` (Bun, Deno) skips the ArrayBuffer-then-view step.
    return typeof request.bytes === "function" ? request.bytes() : request.arrayBuffer().then((buffer) => new Uint8Array(buffer));
  }
  return readStreamed(request, maxBodyBytes);
}

/** Reads a body of unknown length (chunked, or a malformed `Content-Length`), stopping at the cap. */
async function readStreamed(request: Request, maxBodyBytes: number): Promise<Uint8Array> {
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
