/**
 * Child-process entry for forms/pdf-read-client.ts and forms/pdf-read-pool.ts: reads PDFs
 * and replies with their ReadResults. Runs with a small heap
 * (--max-old-space-size) and is killed by the parent on timeout, so a hostile
 * PDF can only take this process down.
 *
 * Over IPC (`fork`, serialization 'advanced'; the loop is lib/isolation/child-serve.ts):
 *   - on start-up, once the reader is loaded, the child sends `{ ready: true }`;
 *   - `{ id, bytes: Uint8Array, deadline?, timeoutMs?, maxBytes? }` (the pool):
 *     replies `{ id, result }` and waits for the next request; requests are
 *     handled one at a time, in order;
 *   - the same without an id (a fresh process per PDF): replies `{ result }`
 *     and exits.
 *   `deadline` (epoch ms) is when the parent kills this child: an
 *   owner-password-only PDF is decrypted with qpdf (decrypt.ts) within it,
 *   and a PDF with several revisions is cross-checked with qpdf
 *   (revisions.ts: RawForm.disagreements) within it.
 *   `timeoutMs` (the read's budget) is only for the timeout message.
 *   The child exits when the parent disconnects.
 * Without IPC: the PDF bytes on stdin; the ReadResult as one JSON line on stdout.
 * Nothing else is written anywhere: no field value can reach a log (DSK-5).
 */
import type { DecryptOptions } from './decrypt.js';
import { inflateBudgetExceeded, installInflateBudget, resetInflateBudget } from './inflate-budget.js';
import { tooLarge } from './pdf-read-protocol.js';
import { readPdfFormCrossChecked } from './revisions.js';
import { readPaperResult } from './paper/paper-result.js';
import type { ReadResult } from './types.js';
import { exitQuietlyOnUncaught, serveParentJobs } from '../lib/isolation/child-serve.js';
import { isAllocationFailure } from '../lib/isolation/allocation-failure.js';
import { CODES } from '../lib/errors.js';

type RequestId = number | string;

interface ParseRequest {
  id?: RequestId;
  bytes: Uint8Array;
  deadline?: unknown;
  timeoutMs?: unknown;
  maxBytes?: unknown;
}

function isRequest(msg: unknown): msg is ParseRequest {
  return typeof msg === 'object' && msg !== null && (msg as { bytes?: unknown }).bytes instanceof Uint8Array;
}

function budget(msg: ParseRequest): DecryptOptions {
  const num = (x: unknown): number | undefined =>
    typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : undefined;
  return { deadline: num(msg.deadline), timeoutMs: num(msg.timeoutMs), maxBytes: num(msg.maxBytes) };
}

function requestId(msg: unknown): RequestId | undefined {
  const id = typeof msg === 'object' && msg !== null ? (msg as { id?: unknown }).id : undefined;
  return typeof id === 'number' || typeof id === 'string' ? id : undefined;
}

const corrupt: ReadResult = {
  ok: false,
  error: {
    code: CODES.E_PDF_CORRUPT,
    message:
      'The PDF file is damaged and cannot be read. Please save the filled form again from your PDF program and send that file.',
  },
};

// A compression bomb stops at a counted budget of inflated bytes and is answered E_PDF_TOO_LARGE.
installInflateBudget();

async function readCounted(bytes: Uint8Array, opts?: DecryptOptions): Promise<ReadResult> {
  resetInflateBudget();
  const result = await readPdfFormCrossChecked(bytes, opts);
  if (inflateBudgetExceeded()) return tooLarge();
  // A PDF without fields, or a page image: read as the paper form it shows (DSK-9).
  return readPaperResult(bytes, result, opts?.deadline ?? Date.now() + 15_000, opts?.timeoutMs ?? 15_000);
}

exitQuietlyOnUncaught();

if (process.send) {
  serveParentJobs(async (msg) => {
    const id = requestId(msg);
    let result: ReadResult;
    // After a failed allocation (a Buffer the address-space limit refused) the PDF is too large and this process is not to be trusted.
    let spent = false;
    try {
      result = isRequest(msg) ? await readCounted(msg.bytes, budget(msg)) : corrupt;
    } catch (err) {
      if (!isAllocationFailure(err)) throw err;
      result = tooLarge();
      spent = true;
    }
    // Without an id this process was started for one PDF (forms/pdf-read-client.ts): it exits once it has replied.
    return id === undefined ? { message: { result }, exitAfter: true } : { message: { id, result }, exitAfter: spent };
  });
} else {
  const chunks: Buffer[] = [];
  process.stdin.on('data', (c: Buffer) => chunks.push(c));
  process.stdin.on('end', () => {
    void (async () => {
      const result = await readCounted(new Uint8Array(Buffer.concat(chunks)));
      process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
    })();
  });
}
