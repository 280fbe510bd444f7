/** What the benchmark times: one implementation training one network, one step at a time. */
export interface Runner {
  /** Called before each timed stretch (e.g. to select a tfjs backend or a matmul kernel). */
  activate(): void | Promise<void>;
  /** One training step on the next batch; `counted` false keeps the step out of the timing. */
  step(): { loss: number; counted: boolean };
  /**
   * For a runner that times itself (another process): train for about `seconds`; samples/s
   * over its steps and the last loss. The benchmark uses it instead of step() when present.
   */
  timed?(seconds: number): Promise<{ rate: number; loss: number }>;
  /** Something the reader of the report should know about this runner (e.g. which BLAS). */
  note?: string;
  dispose(): void;
}
