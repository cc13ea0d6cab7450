/**
 * Replayed frames joined into chunks shared between clients. A replay handed over frame by
 * frame costs one socket write per frame (Bun 1.4.5 sends every chunk on its own); joined per
 * client it costs a copy of every client's replay (a 10,000-client resume storm peaked at
 * 571 MB). Joined once and shared, clients resuming from the same place read the same chunks.
 */

/** A replay chunk joins frames up to this many bytes (a frame larger than this goes alone). */
export const REPLAY_CHUNK_BYTES: number = 16 * 1024;

/** Joined runs kept for other clients: at most this many, so at most ~4 MiB of chunks. */
export const REPLAY_CHUNK_CACHE_SIZE = 256;

/** Frames joined into one chunk, kept with the frames to tell that another replay has the same run. */
interface JoinedRun {
  readonly frames: readonly Uint8Array[];
  readonly chunk: Uint8Array;
}

/** One chunk of a replay and how many frames of it the chunk holds. */
export interface ReplayChunk {
  readonly chunk: Uint8Array;
  readonly frames: number;
}

/**
 * Joins runs of replayed frames and remembers the most recently used ones, keyed by their
 * first frame (a frame is the same object for every client: the history's bytes). A run is
 * cut where another cached run starts, so a replay from a different place joins the others'
 * chunks after its first one.
 */
export class ReplayChunks {
  readonly #runs = new Map<Uint8Array, JoinedRun>();
  readonly #maxRuns: number;

  constructor(maxRuns: number = REPLAY_CHUNK_CACHE_SIZE) {
    this.#maxRuns = maxRuns;
  }

  /** Cached runs (for tests). */
  get size(): number {
    return this.#runs.size;
  }

  /**
   * The chunk that starts at `frames[at]` (which must exist), of at most `maxBytes` (a larger
   * frame goes alone): a cached run when the frames are the same, else a new one.
   */
  take(frames: readonly Uint8Array[], at: number, maxBytes: number = REPLAY_CHUNK_BYTES): ReplayChunk {
    const first = frames[at] as Uint8Array;
    const cached = this.#runs.get(first);
    if (cached !== undefined && cached.chunk.byteLength <= maxBytes && sameFrames(cached.frames, frames, at)) {
      // Most recently used last: the oldest run is the one evicted.
      this.#runs.delete(first);
      this.#runs.set(first, cached);
      return { chunk: cached.chunk, frames: cached.frames.length };
    }
    let bytes = first.byteLength;
    let end = at + 1;
    while (end < frames.length) {
      const frame = frames[end] as Uint8Array;
      if (bytes + frame.byteLength > maxBytes || this.#runs.has(frame)) break;
      bytes += frame.byteLength;
      end += 1;
    }
    // A frame alone is its own bytes: nothing to join or keep.
    if (end === at + 1) return { chunk: first, frames: 1 };
    const run: JoinedRun = { frames: frames.slice(at, end), chunk: join(frames, at, end, bytes) };
    this.#runs.delete(first);
    this.#runs.set(first, run);
    if (this.#runs.size > this.#maxRuns) this.#runs.delete(this.#runs.keys().next().value as Uint8Array);
    return { chunk: run.chunk, frames: end - at };
  }
}

function sameFrames(run: readonly Uint8Array[], frames: readonly Uint8Array[], at: number): boolean {
  if (at + run.length > frames.length) return false;
  for (let index = 0; index < run.length; index++) if (run[index] !== frames[at + index]) return false;
  return true;
}

function join(frames: readonly Uint8Array[], at: number, end: number, bytes: number): Uint8Array {
  const chunk = new Uint8Array(bytes);
  let offset = 0;
  for (let index = at; index < end; index++) {
    const frame = frames[index] as Uint8Array;
    chunk.set(frame, offset);
    offset += frame.byteLength;
  }
  return chunk;
}

let shared: ReplayChunks | undefined;

/** The process's one replay chunk cache, made on first use. */
export function sharedReplayChunks(): ReplayChunks {
  shared ??= new ReplayChunks();
  return shared;
}
