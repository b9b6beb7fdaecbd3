/** What a run must stop and destroy at its end, undone last-in first-out; a failing step does not stop the rest. */
export class Cleanups {
  private readonly steps: (() => Promise<unknown>)[] = [];

  add(...steps: (() => Promise<unknown>)[]): void {
    this.steps.push(...steps);
  }

  async run(): Promise<void> {
    for (const c of this.steps.splice(0).reverse()) await c().catch(() => undefined);
  }
}
