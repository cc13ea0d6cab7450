import { UsageError } from "./usage-error.ts";

/** One publish body of a `--batch` file, and where it was (for the messages that name it). */
export interface BatchItem {
  readonly value: unknown;
  /** `line 4` (NDJSON, counted from 1 as editors do) or `element 2` (a JSON array, from 0 as `inputs[2]`). */
  readonly origin: string;
}

const SHAPE_HINT = "a batch is a JSON array of publish bodies, or one JSON object per line";

/**
 * Reads the text of `events publish --batch`: a JSON array of publish bodies, or NDJSON (one
 * JSON value per non-empty line, as `jq -c` writes). A text starting with `[` is read as the
 * array. Only the JSON is checked here; the SDK checks each body (topics, event name, data).
 * Throws {@link UsageError} naming `source` and the line for invalid JSON, and for no items.
 *
 * @example
 * parseBatchItems('{"topic":"a","data":1}\n{"topic":"b","data":2}\n', "--batch events.ndjson");
 */
export function parseBatchItems(text: string, source: string): BatchItem[] {
  const items = text.trimStart().startsWith("[") ? arrayItems(text, source) : lineItems(text, source);
  // The server refuses an empty batch too; saying it here names the file and needs no request.
  if (items.length === 0) throw new UsageError(`${source} holds no events: ${SHAPE_HINT}`, "events publish");
  return items;
}

function arrayItems(text: string, source: string): BatchItem[] {
  // JSON that starts with "[" can only be an array.
  const values = parseJson(text, source) as unknown[];
  return values.map((value: unknown, index) => ({ value, origin: `element ${index}` }));
}

function lineItems(text: string, source: string): BatchItem[] {
  return text.split("\n").flatMap((line, index) => {
    if (line.trim() === "") return [];
    return [{ value: parseJson(line, `${source}, line ${index + 1}`), origin: `line ${index + 1}` }];
  });
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${what} is not valid JSON: ${reason} (${SHAPE_HINT})`, "events publish");
  }
}
