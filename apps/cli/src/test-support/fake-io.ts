import type { CliIo } from "../io.ts";

/** A {@link CliIo} that records what a command wrote and sent. */
export interface FakeIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
  readonly requests: Request[];
}

/**
 * An in-process io: `respond` answers every request, `env`, `stdin` and `files` (path to text; any
 * other path is ENOENT) are what the command reads; the clock stands at 2026-01-01 12:00 local time.
 */
export function fakeIo(
  respond: (request: Request) => Response | Promise<Response>,
  env: Record<string, string> = {},
  stdin = "",
  files: Readonly<Record<string, string>> = {},
): FakeIo {
  const out: string[] = [];
  const err: string[] = [];
  const requests: Request[] = [];
  const fetchFake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    requests.push(request);
    return respond(request);
  };
  return {
    out,
    err,
    requests,
    stdout: { write: async (text) => void out.push(text) },
    stderr: { write: async (text) => void err.push(text) },
    stdoutIsTty: false,
    env,
    onStop: () => () => {},
    now: () => new Date(2026, 0, 1, 12, 0, 0, 0),
    fetch: fetchFake as typeof fetch,
    readStdin: async () => stdin,
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" });
      return text;
    },
  };
}
