/**
 * Where a client's bytes go. An event stream writes through four calls, the ones of a
 * `ReadableStreamDefaultController`; a runtime with a cheaper way to a socket (Bun's direct
 * stream, in the server's `runtime/`) can stand behind the same four calls instead.
 */

/** The four calls an event stream makes on its body (a `ReadableStreamDefaultController` is one). */
export interface ByteSink {
  /** Hands a chunk over; it is sent in order after every earlier one. */
  enqueue(chunk: Uint8Array): void;
  /**
   * Minus the bytes handed over and not yet taken by the transport (the stream's slow-consumer
   * limit and its replay pacing read it); `null` once errored.
   */
  readonly desiredSize: number | null;
  /** Ends the body after what is queued. */
  close(): void;
  /** Ends the body at once: queued bytes are dropped and the response is aborted. */
  error(reason?: unknown): void;
}

/** The event stream's side of a body: started with the sink once, cancelled when the reader goes away. */
export interface ByteSource {
  start(sink: ByteSink): void | Promise<void>;
  cancel(reason?: unknown): void;
}

/** Makes the Response body around a client's event stream. */
export type StreamBody = (source: ByteSource) => ReadableStream<Uint8Array>;

/**
 * High-water mark 0, so desiredSize is minus the bytes queued: Bun 1.4.5 kept ~7 KB more RSS per
 * idle connection for a stream whose high-water mark was 1 MiB (13.5 vs 6.8 KB at 10,000 connections).
 */
const BYTE_QUEUE: QueuingStrategy<Uint8Array> = { highWaterMark: 0, size: (chunk?: Uint8Array) => chunk?.byteLength ?? 0 };

/**
 * The Web-standard body: a `ReadableStream` with a byte-counting queue, on every runtime.
 * No `pull`: the stream would call it (and settle a promise) after every chunk the runtime
 * reads, a quarter of the server's CPU in the 1,000-client fan-out benchmark (bench/NOTES.md).
 * Frames are pushed as they come; the byte-sized queue tells the lag (and paces a replay).
 */
export const webStreamBody: StreamBody = (source) => new ReadableStream<Uint8Array>(source as UnderlyingDefaultSource<Uint8Array>, BYTE_QUEUE);
