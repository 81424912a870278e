/**
 * Group commit: jobs submitted under one key while a batch of that key is
 * being committed wait and go together into the next batch, so one
 * transaction and one round of fsyncs serve many callers. A lone job is
 * committed at once (no timer), and each caller hears back only when its
 * batch is done.
 */

/** One job's outcome from a batch. */
export type Outcome<R> = { readonly value: R } | { readonly error: unknown };

interface Waiting<J, R> {
  readonly job: J;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/** Batches per key; `commit` gets the jobs in arrival order and answers one outcome per job. */
export class GroupCommitter<J, R> {
  private readonly queues = new Map<string, Waiting<J, R>[]>();

  constructor(
    private readonly commit: (key: string, jobs: readonly J[]) => Promise<readonly Outcome<R>[]>,
    private readonly maxBatch = 256,
  ) {}

  submit(key: string, job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) return void queue.push({ job, resolve, reject });
      const fresh: Waiting<J, R>[] = [{ job, resolve, reject }];
      this.queues.set(key, fresh);
      void this.drain(key, fresh);
    });
  }

  private async drain(key: string, queue: Waiting<J, R>[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, this.maxBatch);
      try {
        const outcomes = await this.commit(
          key,
          batch.map((w) => w.job),
        );
        batch.forEach((w, i) => {
          const outcome = outcomes[i];
          if (outcome && "value" in outcome) w.resolve(outcome.value);
          else w.reject(outcome ? outcome.error : new Error("group commit gave no outcome"));
        });
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.queues.delete(key);
  }
}
