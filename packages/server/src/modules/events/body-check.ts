/**
 * A route's own check of its JSON body against a TypeBox schema, compiled once. The routes
 * check their bodies themselves rather than through Elysia, so a refusal is the same 422
 * whatever app they are mounted in (Elysia validates with the host's `normalize` and `aot`
 * settings and hands its failures to the host's error hooks first).
 */
import type { Static, TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { describeValueErrors, HttpError, type ValueErrorLike } from "../../errors.ts";

/**
 * Returns the check of a body against `schema`: the body typed, or 422 `VALIDATION_FAILED`
 * naming the first field that is wrong (unknown fields included, when the schema refuses them).
 * @example
 * const checkTrigger = createBodyCheck(TriggerRequest);
 * checkTrigger({ message: 1 }); // throws HttpError VALIDATION_FAILED '"message" must be a string (got a number)'
 */
export function createBodyCheck<Schema extends TSchema>(schema: Schema): (body: unknown) => Static<Schema> {
  const compiled = TypeCompiler.Compile(schema);
  return (body) => {
    if (compiled.Check(body)) return body;
    throw new HttpError("VALIDATION_FAILED", describeValueErrors([...compiled.Errors(body)] as readonly ValueErrorLike[], "body"));
  };
}
