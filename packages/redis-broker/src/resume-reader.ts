/**
 * Shares the history reads of resumes on one node. A reconnect storm (a node restarts and
 * thousands of clients come back at once, each a few hundred events behind) would otherwise
 * run one resume script per client, each reading the same entries again: thousands of
 * scripts queue in Redis, the last ones outlive the command timeout, and the node decodes the
 * same events thousands of times.
 */
import type { SubscribedTopic } from "@events/sse-core";
import type { ResumeSnapshot, TopicSnapshot } from "./resume-script.ts";
import { compareRedisIds } from "./stream-id.ts";
import type { RawEntry } from "./stream-reader.ts";

/** Reads the subscription's topics after an id (`"-"`: from the start) in one atomic step: the resume script. */
export type ReadHistory = (afterId: string, subscribed: readonly SubscribedTopic[]) => Promise<ResumeSnapshot>;

/** Resumes waiting for one read. */
interface Batch {
  readonly subscribed: readonly SubscribedTopic[];
  /** The oldest id asked for (`"-"` sorts first): the read starts after it. */
  from: string;
  size: number;
  /** Settled by the read: every resume of the batch awaits it. */
  readonly done: Promise<ResumeSnapshot>;
  resolve(snapshot: ResumeSnapshot): void;
  reject(error: unknown): void;
}

/** The reads of one topic set: at most one in flight, and the batches waiting behind it. */
interface Line {
  busy: boolean;
  readonly waiting: Batch[];
}

/**
 * Serves concurrent resumes of the same topic set (the same subscribed patterns) with one
 * read. Per topic set, one read is in flight at a time; resumes that arrive meanwhile join
 * the next batch (up to `maxResumesPerRead` each), which is read from the OLDEST id its
 * resumes ask for as soon as the one in flight is answered, and each resume gets the
 * snapshot cut after its own id. Exact because a read is atomic: it is one moment of the
 * history, and "the entries after X at that moment" is the moment's entries cut after X,
 * with the same facts (bounds, trimming, newest id) every resume's gap check reads. A batch
 * is sent only after every resume in it was registered for live delivery (a resume joins a
 * batch that has not been sent yet), so each resume's live watermark holds as with a read
 * of its own.
 *
 * Memory: a batch holds one snapshot (at most the history of its topics) while its resumes
 * take their cuts; the cuts are made one resume at a time, as each continues.
 */
export class ResumeReader {
  readonly #read: ReadHistory;
  readonly #maxResumesPerRead: number;
  readonly #lines = new Map<string, Line>();

  /** @param maxResumesPerRead The most resumes one read serves (1: each resume reads alone, one at a time per topic set). */
  constructor(read: ReadHistory, maxResumesPerRead: number) {
    this.#read = read;
    this.#maxResumesPerRead = maxResumesPerRead;
  }

  /** Topic sets with a read in flight or waiting (for tests and health). */
  get pendingTopicSets(): number {
    return this.#lines.size;
  }

  /**
   * The history after `afterId` (`"-"`: all of it) for `subscribed`, as one atomic read saw
   * it, shared with the other resumes of the same topics in its batch.
   */
  async read(afterId: string, subscribed: readonly SubscribedTopic[]): Promise<ResumeSnapshot> {
    const key = topicSetKey(subscribed);
    let line = this.#lines.get(key);
    if (line === undefined) {
      line = { busy: false, waiting: [] };
      this.#lines.set(key, line);
    }
    let batch = line.waiting.at(-1);
    if (batch === undefined || batch.size >= this.#maxResumesPerRead) {
      batch = newBatch(subscribed, afterId);
      line.waiting.push(batch);
      // Sent after this turn: resumes arriving in the same turn join it.
      if (!line.busy) queueMicrotask(() => this.#next(key));
    }
    batch.size += 1;
    if (isOlder(afterId, batch.from)) batch.from = afterId;
    const snapshot = await batch.done;
    return afterId === batch.from ? snapshot : cutAfter(snapshot, afterId);
  }

  /** Sends the first waiting batch of `key`'s line, unless a read is in flight. */
  #next(key: string): void {
    const line = this.#lines.get(key);
    if (line === undefined || line.busy) return;
    const batch = line.waiting.shift();
    if (batch === undefined) {
      this.#lines.delete(key);
      return;
    }
    line.busy = true;
    // Settled before the next read is sent: a failed read fails its own batch only.
    this.#read(batch.from, batch.subscribed)
      .then(batch.resolve, batch.reject)
      .finally(() => {
        line.busy = false;
        this.#next(key);
      });
  }
}

function newBatch(subscribed: readonly SubscribedTopic[], from: string): Batch {
  // Not Promise.withResolvers: Node 20 lacks it.
  let resolve!: (snapshot: ResumeSnapshot) => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<ResumeSnapshot>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { subscribed, from, size: 0, done, resolve, reject };
}

/** One key per topic set: the patterns' texts, which identify them (`orders/*`, `orders/42`, `*`). */
function topicSetKey(subscribed: readonly SubscribedTopic[]): string {
  // A NUL cannot be in a topic or pattern, so the joined texts cannot collide.
  return subscribed.map(({ text }) => text).join("\u0000");
}

/** Whether `a` asks for more history than `b` (`"-"` asks for all of it). */
function isOlder(a: string, b: string): boolean {
  if (a === b || b === "-") return false;
  return a === "-" || compareRedisIds(a, b) < 0;
}

/** The snapshot as a read after `afterId` would have seen it: every topic's entries after the id. */
function cutAfter(snapshot: ResumeSnapshot, afterId: string): ResumeSnapshot {
  return { ...snapshot, topics: snapshot.topics.map((topic): TopicSnapshot => ({ ...topic, entries: entriesAfter(topic.entries, afterId) })) };
}

/** The entries (id order) after `afterId`, found by binary search. */
function entriesAfter(entries: readonly RawEntry[], afterId: string): readonly RawEntry[] {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compareRedisIds((entries[middle] as RawEntry)[0], afterId) <= 0) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? entries : entries.slice(low);
}
