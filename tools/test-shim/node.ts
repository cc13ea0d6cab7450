// Maps the vitest subset our tests use onto node:test, for `node --test`.
import { describe as nodeDescribe, test as nodeTest } from "node:test";
export { expect } from "expect";

type TestBody = () => unknown | Promise<unknown>;

interface TestFunction {
  (name: string, body: TestBody, timeoutMs?: number): void;
  skip(name: string, body: TestBody, timeoutMs?: number): void;
  skipIf(condition: unknown): (name: string, body: TestBody, timeoutMs?: number) => void;
}

export const test: TestFunction = Object.assign(
  (name: string, body: TestBody, timeoutMs?: number): void => {
    nodeTest(name, { timeout: timeoutMs ?? 30_000 }, async () => {
      await body();
    });
  },
  {
    skip: (name: string, body: TestBody): void => {
      nodeTest(name, { skip: true }, body);
    },
    skipIf:
      (condition: unknown) =>
      (name: string, body: TestBody, timeoutMs?: number): void => {
        if (condition) nodeTest(name, { skip: true }, body);
        else test(name, body, timeoutMs);
      },
  },
);

export const it: TestFunction = test;

export function describe(name: string, body: () => void): void {
  nodeDescribe(name, body);
}
