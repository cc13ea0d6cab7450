// Helpers for event-stream tests: read a client's stream as text with a bounded wait, so a
// missing frame fails the test instead of hanging it.

/** What one bounded read of a stream gave. */
export interface ReadResult {
  /** Everything read so far, decoded. */
  text: string;
  /** True when the stream ended (closed) while reading. */
  done: boolean;
}

/** Reads `reader` until `until(text)` holds or the stream ends; rejects after `timeoutMs`. */
export async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  until: (text: string) => boolean,
  timeoutMs = 2000,
): Promise<ReadResult> {
  const decoder = new TextDecoder();
  let text = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`readUntil timed out after ${timeoutMs} ms; read so far: ${JSON.stringify(text)}`)), timeoutMs);
  });
  try {
    while (!until(text)) {
      const { value, done } = await Promise.race([reader.read(), timeout]);
      if (done) return { text, done: true };
      text += decoder.decode(value, { stream: true });
    }
    return { text, done: false };
  } finally {
    clearTimeout(timer);
  }
}

/** Reads until `count` complete frames (blank-line terminated) have been read. */
export function readFrames(reader: ReadableStreamDefaultReader<Uint8Array>, count: number): Promise<ReadResult> {
  return readUntil(reader, (text) => countFrames(text) >= count);
}

/** Counts blank-line-terminated frames in text written by our encoder (LF line ends only). */
export function countFrames(text: string): number {
  return text.split("\n\n").length - 1;
}

/** Splits encoder output into frames (without their blank line); comments stay as their own lines. */
export function framesOf(text: string): string[] {
  return text.split("\n\n").filter((frame) => frame !== "");
}

/** Lets every queued microtask and promise reaction run (a macrotask turn). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
