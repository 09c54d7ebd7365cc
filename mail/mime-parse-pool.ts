/**
 * A small pool of persistent MIME children (mail/mime-parse-child.js), the mail
 * counterpart of forms/pdf-read-pool.ts: mail is parsed in another process, so
 * no message can block the desk's event loop (lock renewals, the ingest lease,
 * the console) however it is built.
 *   - each request has a wall-clock budget from when a child takes it; a child
 *     over budget is killed (E_MAIL_TIMEOUT) and replaced;
 *   - each child has a heap limit and an OS address-space limit
 *     (lib/isolation/memory-limit.ts); one that runs out (E_MAIL_TOO_LARGE) or dies
 *     otherwise (E_MAIL_UNREADABLE) is replaced;
 *   - children get an empty environment; their stderr is read only to tell an
 *     out-of-memory death from another crash, never logged;
 *   - a child is recycled when its heap after a message is over half its limit,
 *     or after maxParsesPerChild messages; idle children are
 *     unreferenced, so the pool never keeps a process alive by itself.
 * The mechanism, shared with the PDF pool, is lib/isolation/child-pool.ts.
 */
import { CODES } from '../lib/errors.js';
import { availableParallelism } from 'node:os';
import { ChildPool } from '../lib/isolation/child-pool.js';
import { firstExistingScript, forkIsolatedChild, outOfMemoryDeath } from '../lib/isolation/fork-child.js';
import { isMailParseResult, mailParseError, type MailParseResult } from './mail-lite.js';

export interface MimePoolOptions {
  /** Number of children. Default: available parallelism, 1 to 4. */
  size?: number;
  /** Every child's V8 old-space limit. Default 384 MB (mailparser keeps decoded text in the heap). */
  maxOldSpaceMb?: number;
  /** A child is replaced after this many messages. Default 2000. */
  maxParsesPerChild?: number;
}

const START_TIMEOUT_MS = 20_000;

/** The compiled child script: beside this module, or under dist/ when this module runs from TypeScript source. */
export function mimeChildScriptPath(): string {
  return firstExistingScript(
    [new URL('./mime-parse-child.js', import.meta.url), new URL('../dist/mail/mime-parse-child.js', import.meta.url)],
    () => 'mail/mime-parse-child.js not found; run npm run build',
  );
}

export class MimePool {
  readonly size: number;
  private readonly pool: ChildPool<Uint8Array, MailParseResult>;

  constructor(opts: MimePoolOptions = {}) {
    this.size = opts.size ?? Math.min(4, Math.max(1, availableParallelism()));
    const maxOldSpaceMb = opts.maxOldSpaceMb ?? 384;
    this.pool = new ChildPool({
      size: this.size,
      maxJobsPerChild: opts.maxParsesPerChild ?? 2000,
      maxHeapMb: Math.floor(maxOldSpaceMb / 2),
      startTimeoutMs: START_TIMEOUT_MS,
      closedMessage: 'the MIME parser pool is closed',
      startFailedMessage: 'could not start the MIME parser process',
      script: mimeChildScriptPath,
      fork: (script) => forkIsolatedChild(script, maxOldSpaceMb, {}),
      request: (id, raw) => ({ id, raw }),
      isResult: isMailParseResult,
      timedOut: (timeoutMs) => mailParseError(CODES.E_MAIL_TIMEOUT, timeoutMs),
      badReply: () => mailParseError(CODES.E_MAIL_UNREADABLE),
      died: (code, signal, stderrTail) =>
        mailParseError(outOfMemoryDeath(code, signal, stderrTail) ? CODES.E_MAIL_TOO_LARGE : CODES.E_MAIL_UNREADABLE),
      // A child SIGKILLed from outside (an operator, the OOM killer, the chaos test) says nothing about the mail it
      // held: it is parsed once more in a fresh child before the sender is told it is unreadable (as PDFs are).
      retryAfterKill: true,
    });
  }

  /** Process ids of the live children (tests and metrics). */
  get pids(): number[] {
    return this.pool.stats.pids;
  }

  /** Parses `raw` in a child within `timeoutMs`. Rejects only when no child can be started or the pool is closed. */
  parse(raw: Uint8Array, timeoutMs: number): Promise<MailParseResult> {
    if (!this.pool.isClosed && timeoutMs <= 0) return Promise.resolve(mailParseError(CODES.E_MAIL_TIMEOUT, 0));
    return this.pool.run(raw, timeoutMs);
  }

  /** Starts one child ahead of the first mail, so that mail does not wait for a Node start-up (about a second on a busy host). */
  prewarm(): void {
    this.pool.prewarm();
  }

  /** Stops every child (a parse in hand ends as a crash); resolves once they have exited. */
  close(): Promise<void> {
    return this.pool.closeNow();
  }
}
