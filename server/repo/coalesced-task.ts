/**
 * Runs an idempotent task (an fsync) for many callers: a caller arriving
 * while it runs waits for the next run, which starts once the current one
 * ends and serves everyone who arrived meanwhile. Each caller is thus served
 * by a run that started after it asked.
 */
export class CoalescedTask {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly task: () => Promise<void>) {}

  run(): Promise<void> {
    if (!this.running) return this.start();
    this.next ??= this.running.then(
      () => this.startNext(),
      () => this.startNext(),
    );
    return this.next;
  }

  private startNext(): Promise<void> {
    this.next = undefined;
    return this.start();
  }

  private start(): Promise<void> {
    const run = this.task().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }
}
