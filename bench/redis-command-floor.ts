/**
 * The fewest Redis commands a case needs, measured rather than assumed.
 *
 * A case on a durable queue cannot cost less than: its mail kept (one write),
 * its case, message and registry read (one script or pipeline), its decision
 * committed with its event and audit entry (one script), and its partner
 * mail put in the outbox and marked sent (one write each), plus the life of
 * the BullMQ jobs that carry it: one for the case pass and one for the
 * partner's mail. A job's life (add, taken by a worker, completed) is
 * measured here on a fresh queue with BullMQ's own scripts, counted the way
 * `INFO commandstats` counts the desk (the commands a script runs count as
 * well as the EVALSHA), so the figure moves with BullMQ's version, not with
 * a guess.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { commandCalls } from './redis-floor.js';

/** The desk's own commands a case cannot do without (see above). */
export const DESK_COMMANDS_A_CASE_NEEDS = 5;
/** BullMQ jobs a case cannot do without: the case pass and its partner mail. */
export const JOBS_A_CASE_NEEDS = 2;

export interface CommandFloor {
  perJob: number;
  perCase: number;
}

export async function redisCommandFloor(port: number, jobs = 200): Promise<CommandFloor> {
  const connection = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: null });
  const workerConnection = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: null });
  const name = `command-floor-${process.pid}`;
  const queue = new Queue(name, { connection });
  let done = 0;
  let allDone: () => void = () => {};
  const finished = new Promise<void>((r) => (allDone = r));
  const worker = new Worker(
    name,
    async () => {
      if (++done === jobs) allDone();
    },
    { connection: workerConnection, concurrency: 8 },
  );
  try {
    await worker.waitUntilReady();
    const before = await commandCalls(port);
    for (let i = 0; i < jobs; i++)
      await queue.add('case', { i }, { jobId: `floor-${i}`, removeOnComplete: true, removeOnFail: true });
    await finished;
    // The last completions land just after the handler returns.
    await new Promise((r) => setTimeout(r, 200));
    const perJob = ((await commandCalls(port)) - before) / jobs;
    return { perJob, perCase: DESK_COMMANDS_A_CASE_NEEDS + JOBS_A_CASE_NEEDS * perJob };
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    // BullMQ leaves a connection it was given open.
    connection.disconnect();
    workerConnection.disconnect();
  }
}
