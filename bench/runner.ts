/** What the benchmark times: one implementation training one network, one step at a time. */
export interface Runner {
  /** Called before each timed stretch (e.g. to select a tfjs backend or a matmul kernel). */
  activate(): void | Promise<void>;
  /** One training step on the next batch; `counted` false keeps the step out of the timing. */
  step(): { loss: number; counted: boolean };
  dispose(): void;
}
