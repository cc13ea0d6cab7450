/// <reference lib="deno.ns" />
// Maps the vitest subset our tests use onto Deno.test, for `deno test`.
// Suites are flattened into "suite > test" names so Deno counts every test.
export { expect } from "expect";

type TestBody = () => unknown | Promise<unknown>;

interface TestFunction {
  (name: string, body: TestBody, timeoutMs?: number): void;
  skip(name: string, body: TestBody, timeoutMs?: number): void;
  skipIf(condition: unknown): (name: string, body: TestBody, timeoutMs?: number) => void;
}

const suiteNames: string[] = [];

function register(name: string, body: TestBody, ignore: boolean): void {
  Deno.test({
    name: [...suiteNames, name].join(" > "),
    ignore,
    // Our streams and servers close on their own; Deno's op sanitizer would flag
    // timers owned by shared fixtures (keepalive hubs) that outlive a single test.
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      await body();
    },
  });
}

export const test: TestFunction = Object.assign(
  (name: string, body: TestBody): void => register(name, body, false),
  {
    skip: (name: string, body: TestBody): void => register(name, body, true),
    skipIf:
      (condition: unknown) =>
      (name: string, body: TestBody): void =>
        register(name, body, Boolean(condition)),
  },
);

export const it: TestFunction = test;

export function describe(name: string, body: () => void): void {
  suiteNames.push(name);
  try {
    body();
  } finally {
    suiteNames.pop();
  }
}
