/**
 * What a resuming client's stream holds while its replay is fed: the replayed frames, then the
 * live frames that arrived behind them, handed over in chunks as the client reads. Made when a
 * stream opens and dropped once it is empty, so an open stream carries none of this.
 */
import { REPLAY_CHUNK_BYTES, type ReplayChunks } from "./replay-chunks.ts";

const EMPTY_FRAME = new Uint8Array(0);

export class ReplayBacklog {
  /** The replay, then live frames behind it; frames already handed over are emptied. */
  readonly #frames: Uint8Array[] = [];
  /** Index of the next frame to hand over. */
  #at = 0;
  /** Frames from this index on are live events: they count as lag while they wait. */
  #liveFrom = 0;
  /** Replayed events still to come from the broker (announced by its onOpen). */
  #replayLeft: number;
  /** Bytes of live frames waiting. */
  liveBytes = 0;
  /** Bytes the client had read at the last keepalive tick (to tell a stalled reader); -1 before the first. */
  consumedAtLastTick = -1;
  /** Stops this stream's turn on the shared replay ticker, once it has one. */
  removeFeeder: (() => void) | undefined;

  constructor(replayed: number) {
    this.#replayLeft = replayed;
  }

  /** Whether the broker still owes replayed events: the next event is one of them. */
  get expectsReplay(): boolean {
    return this.#replayLeft > 0;
  }

  /** Whether every frame was handed over. */
  get empty(): boolean {
    return this.#at >= this.#frames.length;
  }

  /** A replayed frame (a reference to the history's bytes: not lag). */
  addReplayed(frame: Uint8Array): void {
    this.#replayLeft -= 1;
    this.#frames.push(frame);
    this.#liveFrom = this.#frames.length;
  }

  /** A live frame that must wait behind the replay, in order. */
  addLive(frame: Uint8Array): void {
    this.#frames.push(frame);
    this.liveBytes += frame.byteLength;
  }

  /**
   * The next chunk to hand over, of at most `maxBytes` (a larger frame goes alone), joined by
   * `chunks` (shared with other clients resuming from the same place).
   */
  take(chunks: ReplayChunks, maxBytes: number = REPLAY_CHUNK_BYTES): Uint8Array {
    const frames = this.#frames;
    const { chunk, frames: count } = chunks.take(frames, this.#at, maxBytes);
    for (const end = this.#at + count; this.#at < end; this.#at++) {
      const frame = frames[this.#at] as Uint8Array;
      if (this.#at >= this.#liveFrom) this.liveBytes -= frame.byteLength;
      frames[this.#at] = EMPTY_FRAME; // let the runtime free what the client already has
    }
    return chunk;
  }
}
