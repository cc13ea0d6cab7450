/**
 * Holds every event stored through the plugin to its contract: the event name must be one of
 * the contract's, each topic one its event type may be published to, and `data` must match its
 * schema. Each schema is compiled once, per event type, so a refusal names the JSON path inside
 * `data` and the event (a check against the whole union would only say "Expected union value").
 */
import { type AnyEventsContract, ContractError, goaEvents } from "@events/contract";
import { describeValue, matchesTopic, parseTopicPattern, SseError, type TopicPattern } from "@events/sse-core";
import { ValueErrorType } from "@sinclair/typebox/errors";
import { TypeCompiler, type TypeCheck } from "@sinclair/typebox/compiler";
import type { TSchema } from "@sinclair/typebox";
import { HttpError, type ValueErrorLike } from "../../errors.ts";

/**
 * Checks an event before it is stored; throws {@link HttpError} to refuse it: `INVALID_EVENT_NAME`
 * (400), `INVALID_TOPIC` (400) or `VALIDATION_FAILED` (422, with `path`, the JSON pointer of the
 * offending value in a publish body: `/data/...`).
 */
export type EventCheck = (event: string, topics: readonly string[], data: unknown) => void;

/** One event type, ready to check. */
interface CompiledEvent {
  readonly data: TypeCheck<TSchema>;
  /** The patterns it may be published to, parsed; undefined for any topic. */
  readonly topics: readonly TopicPattern[] | undefined;
  /** The patterns as written, for messages. */
  readonly topicsText: readonly string[] | undefined;
}

/** The event names of a contract, quoted and joined for a message. */
function listNames(names: readonly string[]): string {
  return names.map((name) => JSON.stringify(name)).join(", ");
}

function compileEvent(name: string, data: TSchema, topics: readonly string[] | undefined): CompiledEvent {
  let patterns: TopicPattern[] | undefined;
  try {
    patterns = topics?.map((text) => parseTopicPattern(text));
  } catch (error) {
    const reason = error instanceof SseError ? error.message : String(error);
    throw new ContractError(`event ${JSON.stringify(name)}: ${reason}`, { cause: error });
  }
  let compiled: TypeCheck<TSchema>;
  try {
    compiled = TypeCompiler.Compile(data);
  } catch (error) {
    throw new ContractError(`event ${JSON.stringify(name)}: its data schema cannot be compiled (${error instanceof Error ? error.message : String(error)})`, {
      cause: error,
    });
  }
  return { data: compiled, topics: patterns, topicsText: topics };
}

/**
 * Builds the check of a contract: every topic pattern parsed and every data schema compiled
 * once, here, so a bad contract fails when the plugin is created.
 * @throws {ContractError} `INVALID_CONTRACT` for a topic pattern that is not one, or a data
 *   schema TypeBox cannot compile.
 * @example
 * const check = createContractCheck(shopEvents);
 * check("order.updated", ["orders/42"], { id: "42", status: "lost" }); // throws VALIDATION_FAILED at /data/status
 */
export function createContractCheck(contract: AnyEventsContract): EventCheck {
  const events = new Map<string, CompiledEvent>();
  for (const name of contract.names) {
    const definition = contract.events[name];
    if (definition === undefined) throw new ContractError(`the contract names ${JSON.stringify(name)} but does not define it`);
    events.set(name, compileEvent(name, definition.data, definition.topics));
  }
  const known = listNames(contract.names);
  return (event, topics, data) => {
    const compiled = events.get(event);
    if (compiled === undefined) {
      const subject = event === "message" ? 'a publish without "event" is a "message", which' : `event ${describeValue(event)}`;
      throw new HttpError("INVALID_EVENT_NAME", `${subject} is not an event type of this server's contract; send "event" as one of ${known}`);
    }
    if (compiled.topics !== undefined) {
      const patterns = compiled.topics;
      const outside = topics.find((topic) => !patterns.some((pattern) => matchesTopic(pattern, topic)));
      if (outside !== undefined) {
        throw new HttpError(
          "INVALID_TOPIC",
          `event ${JSON.stringify(event)} may be published to ${listNames(compiled.topicsText ?? [])} only (got topic ${describeValue(outside)}); ` +
            "publish it to a topic its contract allows",
        );
      }
    }
    if (compiled.data.Check(data)) return;
    const error = firstError([...compiled.data.Errors(data)] as readonly ValueErrorLike[]);
    const path = `/data${error?.path ?? ""}`;
    const rule = error === undefined ? "does not match its schema" : describeRule(error);
    throw new HttpError("VALIDATION_FAILED", `data of event ${JSON.stringify(event)} at ${path}: ${rule}`, { path });
  };
}

/** The error to report: a missing property names the cause (TypeBox also reports its type for the same path). */
function firstError(errors: readonly ValueErrorLike[]): ValueErrorLike | undefined {
  return errors.find((error) => error.type === ValueErrorType.ObjectRequiredProperty) ?? errors[0];
}

/** One value error as a rule and the value that broke it. */
function describeRule(error: ValueErrorLike): string {
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return "is required";
    case ValueErrorType.ObjectAdditionalProperties:
      return "is not a field of this event's data; send only the fields its schema names";
    case ValueErrorType.Union: {
      const literals = literalsOf(error.schema);
      const rule = literals === undefined ? "must match one of its alternatives" : `must be one of ${literals}`;
      return `${rule} (got ${describeJson(error.value)})`;
    }
    default: {
      const message = error.message === "" ? "does not match its schema" : error.message.charAt(0).toLowerCase() + error.message.slice(1);
      return `${message} (got ${describeJson(error.value)})`;
    }
  }
}

/** `"paid", "shipped"` for a union of literals; undefined for any other union. */
function literalsOf(schema: unknown): string | undefined {
  const members = (schema as { anyOf?: unknown }).anyOf;
  if (!Array.isArray(members) || members.length === 0) return undefined;
  const values: unknown[] = [];
  for (const member of members) {
    if (typeof member !== "object" || member === null || !("const" in member)) return undefined;
    values.push((member as { const: unknown }).const);
  }
  return values.map((value) => JSON.stringify(value)).join(", ");
}

/** A value as JSON, truncated, for a message; `undefined` for a missing one. */
function describeJson(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Whether a contract's `message` type stores exactly what a trigger sends (`{ message }`), so a
 * trigger needs no check. True for the Goa contract.
 */
export function isGoaMessage(contract: AnyEventsContract): boolean {
  return contract.events["message"]?.data === goaEvents.events.message.data;
}
