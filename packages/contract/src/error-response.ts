/**
 * The body of every error answer of the events service.
 */
import { type Static, type TObject, type TString, Type } from "@sinclair/typebox";

/** Body of every error answer (4xx and 5xx). */
export const ErrorResponse: TObject<{ error: TObject<{ code: TString; message: TString }> }> = Type.Object({
  error: Type.Object({
    code: Type.String({ description: "A stable machine-readable code, e.g. VALIDATION_FAILED." }),
    message: Type.String({ description: "What is wrong and how to fix it." }),
  }),
});
export type ErrorResponse = Static<typeof ErrorResponse>;
