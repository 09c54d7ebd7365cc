/**
 * A process-wide budget of bytes for work whose memory grows with its input:
 * parsing a mail takes about five times its size while mailparser decodes it
 * (a 24 MB message with a 17 MB PDF grew RSS by 125 MB, streaming or not,
 * because the PDF must be kept whole to be read). With LICENSEDESK_CONCURRENCY
 * intake jobs at once, large messages would add up; under the budget they
 * wait their turn instead, and small ones still run side by side.
 *
 * Weights are counted in KiB so a budget of gigabytes stays a small integer
 * for the semaphore. A job larger than the whole budget runs alone rather
 * than waiting for ever. Waiters are served in order, so a large job is not
 * starved by a stream of small ones.
 */
import { Semaphore } from 'async-mutex';

const UNIT = 1024;

export class MemoryBudget {
  private readonly semaphore: Semaphore;
  private readonly capacity: number;

  constructor(readonly bytes: number) {
    this.capacity = Math.max(1, Math.floor(bytes / UNIT));
    this.semaphore = new Semaphore(this.capacity);
  }

  /** Runs `fn` once `bytes` of the budget are free; gives them back however `fn` ends. */
  run<T>(bytes: number, fn: () => Promise<T>): Promise<T> {
    const weight = Math.min(this.capacity, Math.max(1, Math.ceil(bytes / UNIT)));
    return this.semaphore.runExclusive(fn, weight);
  }

  /** Bytes not in use right now. */
  get freeBytes(): number {
    return Math.max(0, this.semaphore.getValue()) * UNIT;
  }
}
