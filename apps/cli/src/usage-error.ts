import type { HelpTopic } from "./help.ts";

/** A command line that cannot be run; `topic` names the usage to print with it (exit status 2). */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly topic: HelpTopic;

  constructor(message: string, topic: HelpTopic) {
    super(message);
    this.topic = topic;
  }
}
