/**
 * The child side of lib/isolation/child-pool.ts: the IPC loop of a child script
 * (forms/pdf-read-child.ts, mail/mime-parse-child.ts) that does the parent's jobs, so
 * the script holds only the job itself.
 *
 * Over IPC (`fork`, serialization 'advanced'): the child sends `{ ready: true }`
 * once started (so: once its modules are loaded), then answers each message
 * with the reply its handler gives, one message at a time in arrival order (the
 * pool sends one at a time anyway). It exits when the parent disconnects, when
 * a reply cannot be sent (the parent is gone), and after a reply marked
 * exitAfter (that reply carries `retiring: true`, so the pool sends this child
 * nothing more). Every reply carries `heapMb`, the heap in use after the job. Nothing is logged: no input can reach stderr.
 */
import { EXIT_OUT_OF_MEMORY, isAllocationFailure } from './allocation-failure.js';

export interface JobReply {
  /** Sent to the parent as it is (the pool reads `{ id, result }`). */
  message: object;
  /** Exit once it is sent: the process is done (a one-off job) or no longer to be trusted (a failed allocation). */
  exitAfter: boolean;
}

/**
 * An unexpected throw must not print (the default handler would write the error to stderr): the child exits 70
 * instead, or EXIT_OUT_OF_MEMORY for a failed allocation, which the parent reads as the input being too large.
 */
export function exitQuietlyOnUncaught(): void {
  const exit = (err: unknown): never => process.exit(isAllocationFailure(err) ? EXIT_OUT_OF_MEMORY : 70);
  process.on('uncaughtException', exit);
  process.on('unhandledRejection', exit);
}

/**
 * Serves the parent's jobs: `handle` turns a message into the reply, or into
 * none (a message it does not take). Call it where process.send exists, after
 * everything a job needs is loaded.
 */
export function serveParentJobs(handle: (msg: unknown) => Promise<JobReply | undefined>): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('serveParentJobs needs an IPC channel to the parent (fork)');
  let chain: Promise<void> = Promise.resolve();
  // Large bytes come ahead of their job in parts (lib/isolation/child-pool.ts): kept until the job names them.
  const parts = new Map<unknown, Uint8Array[]>();
  process.on('message', (raw: unknown) => {
    const part = raw as { id?: unknown; bulkPart?: unknown } | null;
    if (part && part.bulkPart instanceof Uint8Array) {
      const list = parts.get(part.id) ?? [];
      list.push(part.bulkPart);
      parts.set(part.id, list);
      return;
    }
    const msg = withBulk(raw, parts);
    chain = chain.then(async () => {
      const reply = await handle(msg);
      if (!reply) return;
      await new Promise<void>((resolve) => {
        // `retiring` tells the pool not to hand this child another job: it is about to exit, and a job sent now would
        // meet a clean exit the pool could only read as a crash (a bomb PDF answered as damaged).
        // Every reply says how large the heap is after the job, for the pool to retire a child that has grown.
        const heapMb = Math.round(process.memoryUsage().heapUsed / 1048576);
        const message = reply.exitAfter ? { ...reply.message, heapMb, retiring: true } : { ...reply.message, heapMb };
        send(message, (err: Error | null) => {
          if (err || reply.exitAfter) process.exit(0);
          resolve();
        });
      });
    });
  });
  process.on('disconnect', () => process.exit(0));
  send({ ready: true });
}

/** A job message with its bytes sent in parts put back in the field it names (`bulk: { field, parts }`). */
function withBulk(msg: unknown, parts: Map<unknown, Uint8Array[]>): unknown {
  const m = msg as { id?: unknown; bulk?: { field?: unknown; parts?: unknown } } | null;
  if (!m || typeof m !== 'object' || !m.bulk) return msg;
  const list = parts.get(m.id) ?? [];
  parts.delete(m.id);
  const { bulk, ...rest } = m;
  if (typeof bulk.field !== 'string' || bulk.parts !== list.length) return rest; // incomplete: the job sees no bytes
  const joined = Buffer.concat(list);
  return { ...rest, [bulk.field]: new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength) };
}
