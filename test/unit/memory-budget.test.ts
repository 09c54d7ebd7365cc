/**
 * Large mails are parsed one budget at a time, small ones side by side, and
 * the budget comes back however a parse ends.
 */
import { describe, expect, it } from 'vitest';
import { MemoryBudget } from '../../lib/isolation/memory-budget.js';

const MB = 1024 * 1024;

/** Runs jobs of the given sizes at once through the budget and reports the most that ran together. */
async function peakTogether(
  budget: MemoryBudget,
  sizes: number[],
): Promise<{ peakJobs: number; peakBytes: number; order: number[] }> {
  let jobs = 0;
  let bytes = 0;
  let peakJobs = 0;
  let peakBytes = 0;
  const order: number[] = [];
  await Promise.all(
    sizes.map((size, i) =>
      budget.run(size, async () => {
        jobs++;
        bytes += size;
        peakJobs = Math.max(peakJobs, jobs);
        peakBytes = Math.max(peakBytes, bytes);
        order.push(i);
        await new Promise((r) => setTimeout(r, 20));
        jobs--;
        bytes -= size;
      }),
    ),
  );
  return { peakJobs, peakBytes, order };
}

describe('MemoryBudget', () => {
  it('never parses more bytes at once than the budget', async () => {
    const budget = new MemoryBudget(50 * MB);
    const r = await peakTogether(budget, [20 * MB, 20 * MB, 20 * MB, 20 * MB]);
    expect(r.peakJobs).toBe(2);
    expect(r.peakBytes).toBe(40 * MB);
    expect(budget.freeBytes).toBe(50 * MB);
  });

  it('lets small messages run side by side', async () => {
    const r = await peakTogether(
      new MemoryBudget(50 * MB),
      Array.from({ length: 8 }, () => 200 * 1024),
    );
    expect(r.peakJobs).toBe(8);
  });

  it('runs a message larger than the whole budget alone instead of waiting for ever', async () => {
    const r = await peakTogether(new MemoryBudget(10 * MB), [30 * MB, 1 * MB]);
    expect(r.peakJobs).toBe(1);
    expect(r.order).toEqual([0, 1]);
  });

  it('serves waiters in order: a large message is not starved by small ones behind it', async () => {
    const r = await peakTogether(new MemoryBudget(10 * MB), [6 * MB, 8 * MB, 1 * MB, 1 * MB]);
    expect(r.order).toEqual([0, 1, 2, 3]);
  });

  it('gives its share back when a parse throws', async () => {
    const budget = new MemoryBudget(10 * MB);
    await expect(
      budget.run(10 * MB, async () => {
        throw new Error('corrupt');
      }),
    ).rejects.toThrow('corrupt');
    expect(budget.freeBytes).toBe(10 * MB);
    await expect(budget.run(10 * MB, async () => 'next')).resolves.toBe('next');
  });
});
