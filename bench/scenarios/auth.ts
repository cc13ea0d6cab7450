/**
 * What authorization costs (issue 17), in process on our app: stream opens, publishes and
 * deliveries with no auth, with HS256 tokens (`jwtSecret`) and with ES256 tokens
 * (`jwtPublicKey`), interleaved in rotated order each round. No peer has the same feature, so
 * each figure is compared with ours without auth. A token is verified once per connection or
 * publish, never per event: the delivery figure (events to streams opened with a token)
 * must match the one without auth.
 */
import { createApp } from "../../packages/server/src/app.ts";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { fmt, median, ratio, verdict } from "../lib/stats.ts";
import type { ReportContext, Scenario, ScenarioContext, ScenarioReport } from "./scenario.ts";

type Fetch = (request: Request) => Promise<Response>;
type Mode = "none" | "HS256" | "ES256";

const MODES: readonly Mode[] = ["none", "HS256", "ES256"];
const TOPIC = "bench/orders/1";
const SECRET = "bench-secret-0123456789abcdef0123456789abcdef";
const utf8 = new TextEncoder();

/** One mode's app and the headers its requests carry. */
interface Contender {
  readonly mode: Mode;
  readonly fetch: Fetch;
  readonly headers: Readonly<Record<string, string>>;
  /** Headers with `count` distinct tokens (none without auth), signed before any timing. */
  readonly freshHeaders: (count: number) => Promise<ReadonlyArray<Readonly<Record<string, string>>>>;
  readonly close: () => void;
}

/** One round's figures for one mode. */
interface ModeFigures {
  /** Microseconds from the request to the `connected` event, the stream then cancelled. */
  readonly openUs: number;
  /** Microseconds per publish, its answer read. */
  readonly publishUs: number;
  /** The same with a token never seen before for each (its signature checked every time). */
  readonly openFreshUs: number;
  readonly publishFreshUs: number;
  /** Nanoseconds of the whole process per event delivered to a stream. */
  readonly deliveryNs: number;
  /** Every stream read every event. */
  readonly exact: boolean;
}

async function contenders(): Promise<Contender[]> {
  const keys = await generateKeyPair("ES256", { extractable: true });
  const claims = { events: { subscribe: ["bench/*"], publish: ["bench/*"] } };
  const expiry = Math.floor(Date.now() / 1000) + 3600;
  const sign = (alg: "HS256" | "ES256", subject: string): Promise<string> =>
    new SignJWT(claims)
      .setProtectedHeader({ alg })
      .setSubject(subject)
      .setExpirationTime(expiry)
      .sign(alg === "HS256" ? utf8.encode(SECRET) : keys.privateKey);
  const hsToken = await sign("HS256", "bench");
  const esToken = await sign("ES256", "bench");
  let signed = 0;
  const fresh = (alg: "HS256" | "ES256" | undefined) => async (count: number): Promise<Array<Record<string, string>>> => {
    if (alg === undefined) return Array.from({ length: count }, () => ({}));
    const tokens = await Promise.all(Array.from({ length: count }, () => sign(alg, `bench-${(signed += 1)}`)));
    return tokens.map((token) => ({ authorization: `Bearer ${token}` }));
  };
  const build = async (mode: Mode, auth: Record<string, string>, token: string | undefined): Promise<Contender> => {
    const controller = new AbortController();
    const app = await createApp({ webRoot: false, maxClients: 100_000, signal: controller.signal, ...auth });
    return {
      mode,
      fetch: (request) => Promise.resolve(app.handle(request)),
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      freshHeaders: fresh(mode === "none" ? undefined : mode),
      close: () => controller.abort(),
    };
  };
  return [
    await build("none", {}, undefined),
    await build("HS256", { jwtSecret: SECRET }, hsToken),
    await build("ES256", { jwtPublicKey: await exportSPKI(keys.publicKey) }, esToken),
  ];
}

function streamRequest(headers: Readonly<Record<string, string>>): Request {
  return new Request(`http://127.0.0.1/events/stream?topic=${TOPIC}`, { headers });
}

function publishRequest(headers: Readonly<Record<string, string>>, n: number): Request {
  const body = utf8.encode(JSON.stringify({ topic: TOPIC, event: "order.updated", data: { n, status: "paid" } }));
  return new Request("http://127.0.0.1/events/publish", {
    method: "POST",
    headers: { ...headers, "content-type": "application/json", "content-length": String(body.byteLength) },
    body,
  });
}

/** Opens a stream and waits for its `connected` event; the reader stays open. */
async function openStream(contender: Contender, headers = contender.headers): Promise<ReadableStreamDefaultReader<Uint8Array>> {
  const response = await contender.fetch(streamRequest(headers));
  if (response.status !== 200 || response.body === null) throw new Error(`${contender.mode} stream answered ${response.status}: ${await response.text()}`);
  const reader = response.body.getReader();
  let text = "";
  while (!text.includes("event: connected")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${contender.mode} stream ended before its connected event`);
    text += new TextDecoder().decode(value);
  }
  return reader;
}

/** Microseconds per open; `headers` per open (fresh tokens), else the contender's one token. */
async function timeOpens(contender: Contender, count: number, headers?: ReadonlyArray<Readonly<Record<string, string>>>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await (await openStream(contender, headers?.[i] ?? contender.headers)).cancel();
  return ((performance.now() - start) * 1000) / count;
}

async function timePublishes(contender: Contender, count: number, headers?: ReadonlyArray<Readonly<Record<string, string>>>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const response = await contender.fetch(publishRequest(headers?.[i] ?? contender.headers, i));
    if (response.status !== 200) throw new Error(`${contender.mode} publish answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  }
  return ((performance.now() - start) * 1000) / count;
}

const MARKER = "event: order.updated\n";

/** Counts the published events a stream reads (by their event line, which a chunk may split) until it has `expected`. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, expected: number): Promise<number> {
  const decoder = new TextDecoder();
  let seen = 0;
  let tail = "";
  while (seen < expected) {
    const { value, done } = await reader.read();
    if (done) return seen;
    const text = tail + decoder.decode(value, { stream: true });
    // A match that ends inside the tail was counted with the previous chunk.
    for (let at = text.indexOf(MARKER); at !== -1; at = text.indexOf(MARKER, at + 1)) {
      if (at + MARKER.length > tail.length) seen += 1;
    }
    tail = text.slice(-MARKER.length);
  }
  return seen;
}

async function timeDeliveries(contender: Contender, streams: number, events: number): Promise<{ ns: number; exact: boolean }> {
  const readers = await Promise.all(Array.from({ length: streams }, () => openStream(contender)));
  const start = performance.now();
  const drained = Promise.all(readers.map((reader) => drain(reader, events)));
  for (let i = 0; i < events; i++) {
    const response = await contender.fetch(publishRequest(contender.headers, i));
    if (response.status !== 200) throw new Error(`${contender.mode} publish answered ${response.status}`);
    await response.arrayBuffer();
  }
  const counts = await drained;
  const ns = ((performance.now() - start) * 1e6) / (streams * events);
  await Promise.all(readers.map((reader) => reader.cancel()));
  return { ns, exact: counts.every((count) => count === events) };
}

/** Auth cost, ours only. */
export class AuthScenario implements Scenario {
  readonly name = "auth" as const;
  readonly section = "auth" as const;
  readonly repeat = "once" as const;
  readonly #figures = new Map<Mode, ModeFigures[]>();
  #sizes = { opens: 0, publishes: 0, streams: 0, events: 0, rounds: 0 };

  async run(context: ScenarioContext): Promise<void> {
    const { quick, log } = context;
    const sizes = quick
      ? { opens: 200, publishes: 500, streams: 100, events: 20, rounds: 1 }
      : { opens: 2000, publishes: 5000, streams: 1000, events: 100, rounds: 5 };
    this.#sizes = sizes;
    const all = await contenders();
    try {
      // Warm-up: every path compiled before anything is timed.
      for (const contender of all) {
        await timeOpens(contender, 50);
        await timePublishes(contender, 100);
      }
      for (let round = 0; round < sizes.rounds; round++) {
        const order = all.map((_, index) => all[(index + round) % all.length] as Contender);
        for (const contender of order) {
          const openUs = await timeOpens(contender, sizes.opens);
          const publishUs = await timePublishes(contender, sizes.publishes);
          const openFreshUs = await timeOpens(contender, sizes.opens, await contender.freshHeaders(sizes.opens));
          const publishFreshUs = await timePublishes(contender, sizes.publishes, await contender.freshHeaders(sizes.publishes));
          const delivery = await timeDeliveries(contender, sizes.streams, sizes.events);
          const figures = { openUs, publishUs, openFreshUs, publishFreshUs, deliveryNs: delivery.ns, exact: delivery.exact };
          this.#figures.set(contender.mode, [...(this.#figures.get(contender.mode) ?? []), figures]);
          log(`auth round ${round + 1}: ${contender.mode}: open ${fmt(openUs, 1)} µs (fresh token ${fmt(openFreshUs, 1)}), publish ${fmt(publishUs, 1)} µs (fresh token ${fmt(publishFreshUs, 1)}), delivery ${fmt(delivery.ns)} ns${delivery.exact ? "" : " (NOT exact)"}`);
        }
      }
    } finally {
      for (const contender of all) contender.close();
    }
  }

  report(_context: ReportContext): ScenarioReport | undefined {
    if (this.#figures.size === 0) return undefined;
    const { opens, publishes, streams, events, rounds } = this.#sizes;
    const medianOf = (mode: Mode, pick: (figures: ModeFigures) => number): number => median((this.#figures.get(mode) ?? []).map(pick));
    const none = { open: medianOf("none", (f) => f.openUs), publish: medianOf("none", (f) => f.publishUs), delivery: medianOf("none", (f) => f.deliveryNs) };
    const vsNone = (mode: Mode, pick: (figures: ModeFigures) => number, base: number): string => ratio(medianOf(mode, pick) / base);
    const lines = [
      "### Authorization: stream open, publish and delivery cost (in process)",
      "",
      `Our app (\`createApp\`) three times in this process: no auth, \`jwtSecret\` (HS256 tokens) and \`jwtPublicKey\` (ES256, P-256),`,
      `driven with \`app.handle(request)\`, the three interleaved in a rotated order in each of ${rounds} round(s); medians of the rounds.`,
      `Open: ${fmt(opens)} streams one after another, each to its \`connected\` event, then cancelled. Publish: ${fmt(publishes)} sequential`,
      "`POST /events/publish` to one topic with no subscriber. Both with one token (a client that reconnects or publishes",
      "again: its grant is kept once verified) and with a token never seen before for each request (fresh: its signature",
      `checked every time). Delivery: ${fmt(events)} publishes to ${fmt(streams)} open streams of that topic`,
      "(opened with the token), until every stream read every event: wall time per delivered event.",
      "",
      "| auth | open µs | ÷ none | open, fresh token µs | ÷ none | publish µs | ÷ none | publish, fresh token µs | ÷ none | delivery ns/event | ÷ none | every event once |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ];
    for (const mode of MODES) {
      const open = medianOf(mode, (f) => f.openUs);
      const publish = medianOf(mode, (f) => f.publishUs);
      const delivery = medianOf(mode, (f) => f.deliveryNs);
      const exact = (this.#figures.get(mode) ?? []).every((f) => f.exact);
      const openFresh = medianOf(mode, (f) => f.openFreshUs);
      const publishFresh = medianOf(mode, (f) => f.publishFreshUs);
      lines.push(
        `| ${mode} | ${fmt(open, 1)} | ${ratio(open / none.open)} | ${fmt(openFresh, 1)} | ${ratio(openFresh / none.open)} | ${fmt(publish, 1)} | ${ratio(publish / none.publish)} | ${fmt(publishFresh, 1)} | ${ratio(publishFresh / none.publish)} | ${fmt(delivery)} | ${ratio(delivery / none.delivery)} | ${exact ? "yes" : "**no**"} |`,
      );
    }
    const worstDelivery = Math.max(...MODES.map((mode) => medianOf(mode, (f) => f.deliveryNs) / none.delivery));
    const exact = [...this.#figures.values()].flat().every((f) => f.exact);
    const targets = [
      `Auth: the cost of a token per stream open and per publish, against no auth (reported, no target): HS256 open ${vsNone("HS256", (f) => f.openUs, none.open)} (fresh token ${vsNone("HS256", (f) => f.openFreshUs, none.open)}), publish ${vsNone("HS256", (f) => f.publishUs, none.publish)} (fresh ${vsNone("HS256", (f) => f.publishFreshUs, none.publish)}); ES256 open ${vsNone("ES256", (f) => f.openUs, none.open)} (fresh ${vsNone("ES256", (f) => f.openFreshUs, none.open)}), publish ${vsNone("ES256", (f) => f.publishUs, none.publish)} (fresh ${vsNone("ES256", (f) => f.publishFreshUs, none.publish)})`,
      `Auth: verified once per connection, never per event: delivery cost with tokens within 10% of none: ${verdict(worstDelivery <= 1.1)} (worst ${ratio(worstDelivery)})`,
      `Auth: every stream got every event once: ${verdict(exact)}`,
    ];
    return { lines, targets };
  }
}
