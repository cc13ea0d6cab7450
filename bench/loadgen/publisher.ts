/**
 * The publisher: POSTs `{"message": "@@<seq>:<µs>;<pad>"}` to a peer at a fixed rate, in its
 * own process so its timing does not share an event loop with thousands of client sockets.
 * `spawnPublisher` runs it and returns its summary; run directly it reads its options as JSON
 * from argv[2] and prints the summary as one JSON line.
 */

/** What to publish. */
export interface PublisherOptions {
  /** Full URL of the peer's publish endpoint. */
  readonly url: string;
  /** Events per second. */
  readonly rate: number;
  /** Events to publish (then stop). */
  readonly count: number;
  /** Message length in characters (the marker is padded with "x" up to it). @default 64 */
  readonly messageLength?: number;
  /** Requests in flight at most (the publisher falls behind rather than pile up). @default 32 */
  readonly maxInFlight?: number;
  /** First sequence number. @default 0 */
  readonly firstSeq?: number;
}

/** What the publisher did. */
export interface PublisherSummary {
  /** Requests answered 2xx. */
  readonly ok: number;
  /** Requests that failed or answered otherwise. */
  readonly failed: number;
  /** Events never sent: the peer answered too slowly to keep the rate within the time limit. */
  readonly unsent: number;
  /** From the first request to the last answer, in ms. */
  readonly elapsedMs: number;
  /** The rate achieved (ok / elapsed). */
  readonly achievedRate: number;
  /** First failure, if any. */
  readonly firstError?: string;
}

function nowMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** The message of event `seq`, stamped now. */
export function markerMessage(seq: number, length: number): string {
  const marker = `@@${seq}:${nowMicros()};`;
  return marker.length >= length ? marker : marker + "x".repeat(length - marker.length);
}

async function publish(options: PublisherOptions): Promise<PublisherSummary> {
  const length = options.messageLength ?? 64;
  const maxInFlight = options.maxInFlight ?? 32;
  const firstSeq = options.firstSeq ?? 0;
  const intervalMs = 1000 / options.rate;
  // Bounded in time as well as count: a peer that cannot keep up stops being sent to after
  // twice the planned time (plus 5 s), and answers still pending get 15 s more.
  const deadline = performance.now() + (options.count / options.rate) * 1000 * 2 + 5000;
  let ok = 0;
  let failed = 0;
  let firstError: string | undefined;
  let inFlight = 0;
  let sent = 0;
  const start = performance.now();
  let idle = Promise.withResolvers<void>();
  const send = (seq: number): void => {
    inFlight += 1;
    fetch(options.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: markerMessage(seq, length) }),
    })
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.ok) ok += 1;
        else {
          failed += 1;
          firstError ??= `HTTP ${response.status}`;
        }
      })
      .catch((error: unknown) => {
        failed += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      })
      .finally(() => {
        inFlight -= 1;
        idle.resolve();
      });
  };
  while (sent < options.count && performance.now() < deadline) {
    const due = Math.min(options.count, Math.floor((performance.now() - start) / intervalMs) + 1);
    while (sent < due && inFlight < maxInFlight) {
      send(firstSeq + sent);
      sent += 1;
    }
    if (inFlight >= maxInFlight) {
      await idle.promise;
      idle = Promise.withResolvers<void>();
    } else {
      const wait = start + sent * intervalMs - performance.now();
      if (wait > 0) await Bun.sleep(Math.min(wait, 50));
    }
  }
  const drainDeadline = performance.now() + 15_000;
  while (inFlight > 0 && performance.now() < drainDeadline) {
    await idle.promise;
    idle = Promise.withResolvers<void>();
  }
  const elapsedMs = performance.now() - start;
  return {
    ok,
    failed: failed + inFlight,
    unsent: options.count - sent,
    elapsedMs,
    achievedRate: ok / (elapsedMs / 1000),
    ...(firstError === undefined ? {} : { firstError }),
  };
}

/** Runs the publisher in its own Bun process and returns its summary. */
export async function spawnPublisher(options: PublisherOptions): Promise<PublisherSummary> {
  const child = Bun.spawn(["bun", import.meta.path, JSON.stringify(options)], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new Error(`publisher exited ${code}: ${err.trim().split("\n").at(-1) ?? ""}`);
  return JSON.parse(out) as PublisherSummary;
}

if (import.meta.main) {
  const options = JSON.parse(process.argv[2] ?? "{}") as PublisherOptions;
  const summary = await publish(options);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}
