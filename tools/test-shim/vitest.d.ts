// Types of the vitest subset our tests use, for `tsc` (see README.md beside this file).
export { expect } from "expect";

type TestBody = () => unknown | Promise<unknown>;

export interface TestFunction {
  (name: string, body: TestBody, timeoutMs?: number): void;
  skip(name: string, body: TestBody, timeoutMs?: number): void;
  skipIf(condition: unknown): (name: string, body: TestBody, timeoutMs?: number) => void;
}

export declare const test: TestFunction;
export declare const it: TestFunction;
export declare function describe(name: string, body: () => void): void;
