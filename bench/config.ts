/** The sizes of a benchmark run: full (what bench/RESULTS.md records) or quick (CI's end-to-end check). */

/** Sizes of one run. */
export interface BenchConfig {
  /** Interleaved rounds of the server scenarios (`--rounds`). */
  rounds: number;
  fanoutClients: number;
  fanoutRates: readonly number[];
  stepSeconds: number;
  /**
   * The fan-out ladder's unmeasured warm-up at its first rate, per peer and round: long enough
   * for each peer's JIT to settle (bench/NOTES.md, "The ladder's warm-up").
   */
  fanoutWarmUpSeconds: number;
  /** Rate of the paired fan-out scenario's windows (ours and the minimal broadcaster up at once), events/s. */
  pairedRate: number;
  /** Measured windows per peer in the paired fan-out scenario. */
  pairedWindows: number;
  bigClients: number;
  bigRate: number;
  bigStepSeconds: number;
  idleClients: number;
  idleSettleMs: number;
  triggerConcurrency: number;
  triggerMs: number;
  resumeClients: number;
  resumeHistory: number;
  resumeBack: number;
  /** Clients following topics of their own while the topics scenario publishes to another one. */
  topicsCrowd: number;
  /** The crowded publish window of the topics scenario (the two alone windows take as long together), ms. */
  topicsPublishMs: number;
  /** Events of other topics in history when the topics scenario times a resume of a quiet one. */
  topicsResumeHistory: number;
  /** Publishes of each publish measurement of the brokers scenario (sequential, then concurrent). */
  brokersPublishes: number;
  /** Publishes in flight in the brokers scenario's concurrent publish and fan-out. */
  brokersConcurrency: number;
  /** Subscribers on one node in the brokers scenario's fan-out. */
  brokersSubscribers: number;
  /** Events published in the brokers scenario's fan-out. */
  brokersFanoutEvents: number;
}

/** `bun run bench`: about 20 minutes on 2 cores. */
export const FULL_CONFIG: Readonly<BenchConfig> = Object.freeze({
  rounds: 3,
  fanoutClients: 1000,
  fanoutRates: [50, 100, 200, 500, 1000, 2000],
  stepSeconds: 3,
  fanoutWarmUpSeconds: 20,
  pairedRate: 50,
  pairedWindows: 16,
  bigClients: 5000,
  bigRate: 100,
  bigStepSeconds: 3,
  idleClients: 10_000,
  idleSettleMs: 2000,
  triggerConcurrency: 50,
  triggerMs: 3000,
  resumeClients: 1000,
  resumeHistory: 1000,
  resumeBack: 500,
  topicsCrowd: 10_000,
  topicsPublishMs: 3000,
  topicsResumeHistory: 100_000,
  brokersPublishes: 5000,
  brokersConcurrency: 50,
  brokersSubscribers: 1000,
  brokersFanoutEvents: 1000,
});

/** `bun run bench --quick`: every scenario, small, well under two minutes. */
export const QUICK_CONFIG: Readonly<BenchConfig> = Object.freeze({
  rounds: 1,
  fanoutClients: 200,
  fanoutRates: [100, 500],
  stepSeconds: 1,
  fanoutWarmUpSeconds: 1,
  pairedRate: 50,
  pairedWindows: 2,
  bigClients: 500,
  bigRate: 100,
  bigStepSeconds: 1,
  idleClients: 1000,
  idleSettleMs: 500,
  triggerConcurrency: 50,
  triggerMs: 1000,
  resumeClients: 200,
  resumeHistory: 300,
  resumeBack: 100,
  topicsCrowd: 1000,
  topicsPublishMs: 1000,
  topicsResumeHistory: 10_000,
  brokersPublishes: 300,
  brokersConcurrency: 50,
  brokersSubscribers: 100,
  brokersFanoutEvents: 100,
});
