/**
 * Reads a PDF form in a child process with a time and memory budget, so no
 * attachment can stall the worker's event loop or exhaust its heap. One child
 * per call: a fresh process per PDF is simplest and leaves nothing behind from
 * a hostile file (start-up costs about 0.1 s, small next to mail handling).
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReadResult, UnreadablePdf } from './types.js';

export interface IsolatedReadOptions {
  /** Wall-clock budget for one PDF, start-up included. Default 15 s. */
  timeoutMs?: number;
  /** The child's V8 old-space limit. Default 256 MB. */
  maxOldSpaceMb?: number;
  /** Larger inputs are refused without parsing. Default 25 MiB. */
  maxBytes?: number;
}

export const ISOLATED_DEFAULTS = { timeoutMs: 15_000, maxOldSpaceMb: 256, maxBytes: 25 * 1024 * 1024 } as const;

const TOO_LARGE =
  'The PDF is too large or too complex for the desk to read. Please send just the filled form the desk sent (one form a file, without scanned pages, images or attachments).';
const CRASHED =
  'The PDF file could not be read (the reader stopped on it). Please save the filled form again from your PDF program and send that file.';
const timeoutMessage = (ms: number): string =>
  `The PDF took too long to read (over ${Math.ceil(ms / 1000)} seconds). Please send just the filled form the desk sent, saved again from your PDF program, without scanned pages or attachments.`;

/** The compiled child script: beside this module, or under dist/ when this module runs from TypeScript source. */
export function childScriptPath(): string {
  const candidates = [new URL('./parse-child.js', import.meta.url), new URL('../dist/forms/parse-child.js', import.meta.url)];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error(`forms/parse-child.js not found (looked at ${candidates.map((u) => fileURLToPath(u)).join(', ')}); run npm run build`);
}

function unreadable(code: UnreadablePdf['code'], message: string): ReadResult {
  return { ok: false, error: { code, message } };
}

/**
 * Reads `bytes` like readPdfForm, in a child process. Resolves with
 * E_PDF_TIMEOUT when the budget runs out (the child is killed), E_PDF_TOO_LARGE
 * when it runs out of memory or the input is over maxBytes, E_PDF_CORRUPT when
 * it dies otherwise. Rejects only when the child cannot be started.
 */
export function readPdfIsolated(bytes: Uint8Array, opts: IsolatedReadOptions = {}): Promise<ReadResult> {
  const timeoutMs = opts.timeoutMs ?? ISOLATED_DEFAULTS.timeoutMs;
  const maxOldSpaceMb = opts.maxOldSpaceMb ?? ISOLATED_DEFAULTS.maxOldSpaceMb;
  const maxBytes = opts.maxBytes ?? ISOLATED_DEFAULTS.maxBytes;
  if (bytes.byteLength > maxBytes) return Promise.resolve(unreadable('E_PDF_TOO_LARGE', TOO_LARGE));

  let script: string;
  try {
    script = childScriptPath();
  } catch (err) {
    return Promise.reject(err);
  }

  return new Promise<ReadResult>((resolve, reject) => {
    const child = fork(script, [], {
      execArgv: [`--max-old-space-size=${maxOldSpaceMb}`],
      // No secrets and no NODE_OPTIONS from the parent reach a process that parses hostile input.
      env: {},
      serialization: 'advanced',
      // stderr is read only to tell an out-of-memory death from another crash; it is never logged.
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
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
    const timer = setTimeout(() => finish(unreadable('E_PDF_TIMEOUT', timeoutMessage(timeoutMs))), timeoutMs);

    child.stderr?.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString('latin1')).slice(-4096);
    });
    child.on('message', (msg: unknown) => {
      const result = (msg as { result?: ReadResult } | null)?.result;
      if (result && typeof result === 'object' && typeof result.ok === 'boolean') finish(result);
      else finish(unreadable('E_PDF_CORRUPT', CRASHED));
    });
    child.on('error', (err) => {
      // Spawn failure is the desk's problem, not the partner's PDF: reject.
      if (!settled && child.pid === undefined) finish(new Error(`could not start the PDF reader process: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      const oom = /heap out of memory|Reached heap limit|Allocation failed/i.test(stderrTail);
      if (oom || signal === 'SIGABRT' || code === 134) finish(unreadable('E_PDF_TOO_LARGE', TOO_LARGE));
      else finish(unreadable('E_PDF_CORRUPT', CRASHED));
    });
    // A send error means the child died first; its exit handler classifies that.
    child.send({ bytes }, () => {});
  });
}
