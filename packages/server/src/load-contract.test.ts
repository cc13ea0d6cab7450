// loadContract: the module --contract names, relative to the working directory or absolute.
import { describe, expect, test } from "vitest";
import { events as shopEvents } from "../test/fixtures/shop-events.ts";
import { loadContract } from "./load-contract.ts";
import { ServerOptionsError } from "./server-options-error.ts";

const packageDir = decodeURIComponent(new URL("..", import.meta.url).pathname);

describe("loadContract", () => {
  test("loads a module's default export, relative to the working directory or absolute", async () => {
    expect(await loadContract("./test/fixtures/shop-events.ts", packageDir)).toBe(shopEvents);
    expect(await loadContract(`${packageDir}test/fixtures/shop-events.ts`, "/")).toBe(shopEvents);
  });

  test("refuses a module that exports no defineEvents result, and one that cannot be loaded, naming the file", async () => {
    for (const path of ["./test/fixtures/not-a-contract.ts", "./test/fixtures/missing.ts"]) {
      const error = await loadContract(path, packageDir).then(
        () => undefined,
        (refusal: unknown) => refusal,
      );
      expect(error).toBeInstanceOf(ServerOptionsError);
      expect((error as ServerOptionsError).code).toBe("INVALID_OPTION");
      expect((error as ServerOptionsError).message).toContain(JSON.stringify(path));
    }
  });
});
