/**
 * stripCardFormsIsolated: the one way the desk rebuilds kept mail without its
 * card form (DSK-5 retention). The work runs in a pooled child (mail/card-strip-child.ts,
 * on lib/isolation/child-pool.ts like the MIME and PDF pools): a time budget from when a
 * child takes the mail, a heap limit and an OS address-space limit, a child
 * that dies or runs over replaced. One child: stripping happens once per
 * decided case, off the path a partner waits on.
 */
import { ChildPool } from '../lib/isolation/child-pool.js';
import { CODES } from '../lib/errors.js';
import { firstExistingScript, forkIsolatedChild, outOfMemoryDeath } from '../lib/isolation/fork-child.js';
import {
  isStripResult,
  pdfDigest,
  stripError,
  type CardPdfVerdict,
  type StripRequest,
  type StripResult,
} from './card-strip-protocol.js';

const START_TIMEOUT_MS = 20_000;

function stripChildScriptPath(): string {
  return firstExistingScript(
    [new URL('./card-strip-child.js', import.meta.url), new URL('../dist/mail/card-strip-child.js', import.meta.url)],
    () => 'mail/card-strip-child.js not found; run npm run build',
  );
}

let pool: ChildPool<StripRequest, StripResult> | undefined;

function thePool(): ChildPool<StripRequest, StripResult> {
  pool ??= new ChildPool<StripRequest, StripResult>({
    size: 1,
    maxJobsPerChild: 1000,
    maxHeapMb: 192,
    startTimeoutMs: START_TIMEOUT_MS,
    closedMessage: 'the card-strip pool is closed',
    startFailedMessage: 'could not start the card-strip process',
    script: stripChildScriptPath,
    // Same heap as a MIME child: mailparser keeps decoded parts in the heap, and the rebuilt mail is as large again.
    fork: (script) => forkIsolatedChild(script, 384, {}),
    request: (id, req) => ({ id, raw: req.raw, verdicts: req.verdicts, why: req.why }),
    isResult: isStripResult,
    timedOut: () => stripError(CODES.E_MAIL_TIMEOUT),
    badReply: () => stripError(CODES.E_MAIL_UNREADABLE),
    died: (code, signal, stderrTail) =>
      stripError(outOfMemoryDeath(code, signal, stderrTail) ? CODES.E_MAIL_TOO_LARGE : CODES.E_MAIL_UNREADABLE),
    retryAfterKill: true,
  });
  return pool;
}

export interface StripOutcome {
  ok: true;
  /** The mail without its card-data parts (null: it had none). */
  stripped: { raw: Buffer; removed: string[] } | null;
}

/**
 * Rebuilds `raw` without its card-data parts in a child, within `timeoutMs`
 * a round. PDFs without a verdict are judged by `judge` (the desk's PDF
 * child) and the child asked once more. Resolves with the outcome or with
 * E_MAIL_TIMEOUT / E_MAIL_TOO_LARGE / E_MAIL_UNREADABLE.
 */
export async function stripCardFormsIsolated(
  raw: Uint8Array,
  verdicts: Record<string, CardPdfVerdict>,
  why: string,
  timeoutMs: number,
  judge: (pdf: Uint8Array) => Promise<CardPdfVerdict>,
): Promise<StripOutcome | Extract<StripResult, { ok: false }>> {
  const known = { ...verdicts };
  for (let round = 0; round < 2; round++) {
    const r = await thePool().run({ raw, verdicts: known, why }, timeoutMs);
    if (!r.ok) return r;
    if ('stripped' in r) {
      return {
        ok: true,
        stripped: r.stripped && {
          raw: Buffer.from(r.stripped.raw.buffer, r.stripped.raw.byteOffset, r.stripped.raw.byteLength),
          removed: r.stripped.removed,
        },
      };
    }
    for (const pdf of r.needVerdicts) known[pdfDigest(pdf)] = await judge(pdf);
  }
  // Every PDF the child named was judged; a child asking again is not to be trusted.
  return stripError(CODES.E_MAIL_UNREADABLE) as Extract<StripResult, { ok: false }>;
}

/** Stops the child (on shutdown); a later strip starts a new pool. */
export async function closeStripPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.closeNow();
}
