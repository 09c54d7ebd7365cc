/**
 * A small pool of persistent parse children (forms/pdf-read-child.js), so reading a PDF
 * costs the parse and not a process start. Every guarantee of a fresh process
 * per PDF holds per request (the mechanism is lib/isolation/child-pool.ts):
 *   - parsing never runs on the caller's event loop;
 *   - each request has a wall-clock budget, counted from when a ready child
 *     takes it; a child over budget is killed (E_PDF_TIMEOUT) and replaced;
 *   - each child has a V8 heap limit; one that runs out of memory
 *     (E_PDF_TOO_LARGE) or dies otherwise (E_PDF_CORRUPT) is replaced;
 *   - children get an empty environment, and nothing they read is logged;
 *   - inputs over maxBytes are refused without parsing.
 * A child handles one request at a time; requests wait in a queue while every
 * child is busy. A child is recycled when its heap after a read is over half
 * its limit, or after maxParsesPerChild reads, to bound what a long-lived heap
 * can accumulate. Idle children are unreferenced, so the
 * pool never keeps a process alive by itself.
 */
import { availableParallelism } from 'node:os';
import { ChildPool, type ChildPoolStats } from '../lib/isolation/child-pool.js';
import {
  ISOLATED_DEFAULTS,
  childScriptPath,
  classifyDeath,
  crashed,
  forkParseChild,
  isReadResult,
  timedOut,
  tooLarge,
} from './pdf-read-protocol.js';
import type { ReadResult } from './types.js';

export interface ParserPoolOptions {
  /** Number of children. Default: available parallelism, at least 1, at most 4. */
  size?: number;
  /** Every child's V8 old-space limit. Default 256 MB. */
  maxOldSpaceMb?: number;
  /** A child is replaced after this many reads. Default 2000. */
  maxParsesPerChild?: number;
  /** A child not ready this long after its fork is killed. Default 20 s. */
  startTimeoutMs?: number;
}

export interface PoolReadOptions {
  /** Wall-clock budget for this PDF, from when a child takes it. Default 15 s. */
  timeoutMs?: number;
  /** Larger inputs are refused without parsing. Default 25 MiB. */
  maxBytes?: number;
}

export type ParserPoolStats = ChildPoolStats;

export const DEFAULT_POOL_SIZE = (): number => Math.min(4, Math.max(1, availableParallelism()));
const DEFAULT_MAX_PARSES = 2000;
const DEFAULT_START_TIMEOUT_MS = 20_000;

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`ParserPool: ${name} must be a positive integer (got ${v})`);
  return v;
}

export class ParserPool {
  readonly size: number;
  readonly maxOldSpaceMb: number;
  private readonly pool: ChildPool<{ bytes: Uint8Array; maxBytes: number }, ReadResult>;

  constructor(opts: ParserPoolOptions = {}) {
    this.size = positiveInt('size', opts.size ?? DEFAULT_POOL_SIZE());
    this.maxOldSpaceMb = positiveInt('maxOldSpaceMb', opts.maxOldSpaceMb ?? ISOLATED_DEFAULTS.maxOldSpaceMb);
    const maxOldSpaceMb = this.maxOldSpaceMb;
    this.pool = new ChildPool({
      size: this.size,
      maxJobsPerChild: positiveInt('maxParsesPerChild', opts.maxParsesPerChild ?? DEFAULT_MAX_PARSES),
      // Half the heap limit: a warm child holds some 20 MB between reads, so this is a child that keeps something.
      maxHeapMb: Math.floor(maxOldSpaceMb / 2),
      startTimeoutMs: positiveInt('startTimeoutMs', opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS),
      closedMessage: 'the PDF parser pool is closed',
      startFailedMessage: 'could not start the PDF reader process',
      script: childScriptPath,
      fork: (script) => forkParseChild(script, maxOldSpaceMb),
      // The deadline is sent along, so the child can stop a qpdf it runs (decrypt.ts) before the pool's timer kills the child.
      request: (id, { bytes, maxBytes }, timeoutMs) => ({
        id,
        bytes,
        deadline: Date.now() + timeoutMs,
        timeoutMs,
        maxBytes,
      }),
      isResult: isReadResult,
      // A PDF whose child was SIGKILLed from outside is read once more before a partner is told it is unreadable.
      retryAfterKill: true,
      timedOut,
      badReply: crashed,
      died: classifyDeath,
    });
  }

  /**
   * Reads `bytes` like readPdfForm, in one of the pool's children. Resolves
   * with E_PDF_TIMEOUT when the budget runs out (that child is killed),
   * E_PDF_TOO_LARGE when the child runs out of memory or the input is over
   * maxBytes, E_PDF_CORRUPT when the child dies otherwise. Rejects only when no
   * child can be started, or the pool is closed.
   */
  read(bytes: Uint8Array, opts: PoolReadOptions = {}): Promise<ReadResult> {
    const timeoutMs = opts.timeoutMs ?? ISOLATED_DEFAULTS.timeoutMs;
    const maxBytes = opts.maxBytes ?? ISOLATED_DEFAULTS.maxBytes;
    if (bytes.byteLength > maxBytes) return Promise.resolve(tooLarge());
    return this.pool.run({ bytes, maxBytes }, timeoutMs);
  }

  /**
   * Stops taking reads; reads already asked for finish (each within its
   * budget); then stops every child. Resolves once they have all exited.
   */
  close(): Promise<void> {
    return this.pool.close();
  }

  get stats(): ParserPoolStats {
    return this.pool.stats;
  }
}
