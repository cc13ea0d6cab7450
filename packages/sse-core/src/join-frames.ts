import type { ByteSink } from "./stream-body.ts";

/**
 * Frames held back in one turn are joined into chunks of at most this many bytes (a frame
 * larger than this goes alone): one socket write for a burst, without copying a whole burst
 * into one buffer.
 */
export const MAX_JOINED_BYTES: number = 64 * 1024;

/** The frames as one chunk (a copy). */
export function joinFrames(frames: readonly Uint8Array[]): Uint8Array {
  let bytes = 0;
  for (const frame of frames) bytes += frame.byteLength;
  const chunk = new Uint8Array(bytes);
  let at = 0;
  for (const frame of frames) {
    chunk.set(frame, at);
    at += frame.byteLength;
  }
  return chunk;
}

/**
 * Enqueues `first` then `rest` (`bytes` long together) in as few chunks of at most
 * {@link MAX_JOINED_BYTES} as they fit in, frames whole and in order; a frame alone is
 * enqueued as is (its bytes shared, not copied).
 */
export function enqueueJoined(
  controller: ByteSink,
  first: Uint8Array,
  rest: readonly Uint8Array[] | undefined,
  bytes: number,
): void {
  if (rest === undefined || rest.length === 0) return controller.enqueue(first);
  if (bytes <= MAX_JOINED_BYTES) {
    // The usual case (a few events in one turn): one copy, no list of the run.
    const chunk = new Uint8Array(bytes);
    chunk.set(first, 0);
    let at = first.byteLength;
    for (let index = 0; index < rest.length; index++) {
      const frame = rest[index] as Uint8Array;
      chunk.set(frame, at);
      at += frame.byteLength;
    }
    return controller.enqueue(chunk);
  }
  let run: Uint8Array[] = [first];
  let runBytes = first.byteLength;
  const emit = (): void => controller.enqueue(run.length === 1 ? (run[0] as Uint8Array) : joinFrames(run));
  for (const frame of rest) {
    if (runBytes + frame.byteLength > MAX_JOINED_BYTES) {
      emit();
      run = [];
      runBytes = 0;
    }
    run.push(frame);
    runBytes += frame.byteLength;
  }
  emit();
}
