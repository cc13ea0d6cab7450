import { describe, expect, test } from "bun:test";
import { findDuplicateKey } from "./json-duplicate-key.ts";

describe("findDuplicateKey", () => {
  test("finds nothing in objects whose keys are distinct", () => {
    expect(findDuplicateKey('{"message":"hi"}')).toBeUndefined();
    expect(findDuplicateKey('{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}')).toBeUndefined();
    expect(findDuplicateKey('["a","a",{"a":"a"}]')).toBeUndefined();
    expect(findDuplicateKey('"plain"')).toBeUndefined();
  });

  test("finds a key written twice in one object", () => {
    expect(findDuplicateKey('{"message":"a","message":"b"}')).toBe("message");
    expect(findDuplicateKey('{"x":{"k":1, "k" :2}}')).toBe("k");
  });

  test("compares keys after decoding their escapes", () => {
    expect(findDuplicateKey('{"message":"a","\\u006dessage":"b"}')).toBe("message");
  });

  test("reads quotes, colons and braces inside strings as text", () => {
    expect(findDuplicateKey('{"message":"\\"message\\": {\\"a\\"}","other":"x\\\\"}')).toBeUndefined();
    expect(findDuplicateKey('{"a\\\\":1,"a\\\\":2}')).toBe("a\\");
  });
});
