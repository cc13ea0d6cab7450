import { Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { describe, expect, test } from "vitest";
import { ContractError, defineEvents, goaEvents } from "./index.ts";

describe("defineEvents", () => {
  test("normalises a bare schema and a { data, topics } definition, keeping the order of names", () => {
    const orderUpdated = Type.Object({ id: Type.String() });
    const chat = Type.Object({ text: Type.String() });
    const contract = defineEvents({ "order.updated": { data: orderUpdated, topics: ["orders/*"] }, "chat.message": chat });
    expect(contract.names).toEqual(["order.updated", "chat.message"]);
    expect(contract.events["order.updated"].data).toBe(orderUpdated);
    expect(contract.events["order.updated"].topics).toEqual(["orders/*"]);
    expect(contract.events["chat.message"].data).toBe(chat);
    expect(contract.events["chat.message"].topics).toBeUndefined();
    expect(Object.isFrozen(contract.events)).toBe(true);
  });

  test("takes another contract's definitions as inputs, so a contract can extend one", () => {
    const base = defineEvents({ a: Type.String(), b: { data: Type.Number(), topics: ["b/*"] } });
    const extended = defineEvents({ ...base.events, c: Type.Boolean() });
    expect(extended.names).toEqual(["a", "b", "c"]);
    expect(extended.events.a).toEqual(base.events.a);
    expect(extended.events.b.topics).toEqual(["b/*"]);
  });

  test("gives the Goa example's contract: one message event of { message: string }", () => {
    expect(goaEvents.names).toEqual(["message"]);
    expect(Value.Check(goaEvents.events.message.data, { message: "hi" })).toBe(true);
    expect(Value.Check(goaEvents.events.message.data, { message: 1 })).toBe(false);
  });

  test("refuses an empty contract, a reserved, empty or multi-line name, and a value that is no schema", () => {
    const bad: Array<[string, () => unknown]> = [
      ["empty", () => defineEvents({})],
      ["connected", () => defineEvents({ connected: Type.Object({}) })],
      ["gap", () => defineEvents({ gap: Type.Object({}) })],
      ["auth-expired", () => defineEvents({ "auth-expired": Type.Object({}) })],
      ["empty name", () => defineEvents({ "": Type.Object({}) })],
      ["line break", () => defineEvents({ "a\nb": Type.Object({}) })],
      ["not a schema", () => defineEvents({ a: { text: "x" } as never })],
      ["data not a schema", () => defineEvents({ a: { data: 42 } as never })],
      ["topics not a list", () => defineEvents({ a: { data: Type.String(), topics: "orders/*" } as never })],
      ["empty topics", () => defineEvents({ a: { data: Type.String(), topics: [] } })],
    ];
    for (const [name, define] of bad) {
      let caught: unknown;
      try {
        define();
      } catch (error) {
        caught = error;
      }
      expect({ name, error: caught instanceof ContractError, code: (caught as ContractError | undefined)?.code }).toEqual({
        name,
        error: true,
        code: "INVALID_CONTRACT",
      });
    }
  });
});
