/**
 * Reads a PDF form in a child process with a time and memory budget, so no
 * attachment can stall the worker's event loop or exhaust its heap.
 *
 * readPdfIsolated uses a small pool of persistent children (forms/pdf-read-pool.ts),
 * created on first use: forking a fresh process per PDF costs ~0.2 s, which
 * capped the desk's throughput. A child that times out, crashes or runs out of
 * memory is killed and replaced, and every child is recycled after a number of
 * parses. readPdfInFreshProcess is the one-child-per-call path, used for a
 * non-default heap limit.
 */
import { ParserPool } from './pdf-read-pool.js';
import {
  ISOLATED_DEFAULTS,
  childScriptPath,
  classifyDeath,
  crashed,
  forkParseChild,
  isReadResult,
  timedOut,
  tooLarge,
  type IsolatedReadOptions,
} from './pdf-read-protocol.js';
import type { ReadResult } from './types.js';
import { onExitWithStderr, tailStderr } from '../lib/isolation/fork-child.js';

export { ISOLATED_DEFAULTS, childScriptPath, type IsolatedReadOptions };

let defaultPool: ParserPool | undefined;

/** The module's pool, created on first use (default size and heap limit). */
function sharedPool(): ParserPool {
  defaultPool ??= new ParserPool();
  return defaultPool;
}

/**
 * Closes the pool readPdfIsolated uses: reads already asked for finish (each
 * within its budget), then the children are stopped. Call it on shutdown; a
 * later readPdfIsolated starts a new pool. The children never keep the process
 * alive on their own, so a CLI command need not call it.
 */
export async function closeDefaultParserPool(): Promise<void> {
  const pool = defaultPool;
  defaultPool = undefined;
  await pool?.close();
}

/**
 * Reads `bytes` like readPdfForm, in a child process, where an
 * owner-password-only PDF is first decrypted with qpdf (decrypt.ts). Resolves with
 * E_PDF_TIMEOUT when the budget runs out (the child is killed), E_PDF_TOO_LARGE
 * when it runs out of memory or the input is over maxBytes, E_PDF_CORRUPT when
 * it dies otherwise. Rejects only when the child cannot be started.
 *
 * With the default heap limit the read goes to the shared pool (the time budget
 * counts from when a child takes it); another maxOldSpaceMb gets a fresh
 * process of its own.
 */
export function readPdfIsolated(bytes: Uint8Array, opts: IsolatedReadOptions = {}): Promise<ReadResult> {
  const maxBytes = opts.maxBytes ?? ISOLATED_DEFAULTS.maxBytes;
  if (bytes.byteLength > maxBytes) return Promise.resolve(tooLarge());
  if (opts.maxOldSpaceMb !== undefined && opts.maxOldSpaceMb !== ISOLATED_DEFAULTS.maxOldSpaceMb) {
    return readPdfInFreshProcess(bytes, opts);
  }
  return sharedPool().read(bytes, { timeoutMs: opts.timeoutMs, maxBytes });
}

/**
 * readPdfIsolated in a process of its own, forked for this one PDF and killed
 * after it: the time budget includes start-up (~0.1–0.2 s).
 */
export function readPdfInFreshProcess(bytes: Uint8Array, opts: IsolatedReadOptions = {}): Promise<ReadResult> {
  const timeoutMs = opts.timeoutMs ?? ISOLATED_DEFAULTS.timeoutMs;
  const maxOldSpaceMb = opts.maxOldSpaceMb ?? ISOLATED_DEFAULTS.maxOldSpaceMb;
  const maxBytes = opts.maxBytes ?? ISOLATED_DEFAULTS.maxBytes;
  if (bytes.byteLength > maxBytes) return Promise.resolve(tooLarge());

  let script: string;
  try {
    script = childScriptPath();
  } catch (err) {
    return Promise.reject(err);
  }

  return new Promise<ReadResult>((resolve, reject) => {
    const child = forkParseChild(script, maxOldSpaceMb);
    let settled = false;
    let stderrTail = '';
    const finish = (result: ReadResult | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const deadline = Date.now() + timeoutMs;
    const timer = setTimeout(() => finish(timedOut(timeoutMs)), timeoutMs);

    tailStderr(child, (tail) => (stderrTail = tail));
    child.on('message', (msg: unknown) => {
      if ((msg as { ready?: unknown } | null)?.ready === true) return; // start-up notice
      const result = (msg as { result?: unknown } | null)?.result;
      finish(isReadResult(result) ? result : crashed());
    });
    child.on('error', (err) => {
      // Spawn failure is the desk's problem, not the partner's PDF: reject.
      if (!settled && child.pid === undefined)
        finish(new Error(`could not start the PDF reader process: ${err.message}`));
    });
    onExitWithStderr(child, (code, signal) => {
      if (!settled) finish(classifyDeath(code, signal, stderrTail));
    });
    // A send error means the child died first; its exit handler classifies that.
    child.send({ bytes, deadline, timeoutMs, maxBytes }, () => {});
  });
}
