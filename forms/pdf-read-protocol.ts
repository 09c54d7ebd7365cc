/**
 * What the two ways of reading a PDF in a child process share
 * (forms/pdf-read-client.ts: a fresh process per PDF; forms/pdf-read-pool.ts: persistent
 * children): the child script, how it is started, the user-facing messages and
 * how a child's death is classified. Nothing here logs: stderr of a child is
 * read only to tell an out-of-memory death from another crash (DSK-5).
 */
import type { ChildProcess } from 'node:child_process';
import { firstExistingScript, forkIsolatedChild, outOfMemoryDeath } from '../lib/isolation/fork-child.js';
import { privateTmpEnv } from '../lib/private-tmp.js';
import type { ReadResult, UnreadablePdf } from './types.js';
import { CODES } from '../lib/errors.js';

export interface IsolatedReadOptions {
  /**
   * Wall-clock budget for one PDF. Default 15 s. In a fresh process it counts
   * from the fork (start-up included); in the pool, from when a ready child
   * takes the request (time spent queued for a free child is not counted).
   */
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

function unreadable(code: UnreadablePdf['code'], message: string): ReadResult {
  return { ok: false, error: { code, message } };
}

export const tooLarge = (): ReadResult => unreadable(CODES.E_PDF_TOO_LARGE, TOO_LARGE);
export const crashed = (): ReadResult => unreadable(CODES.E_PDF_CORRUPT, CRASHED);
export const timedOut = (ms: number): ReadResult => unreadable(CODES.E_PDF_TIMEOUT, timeoutMessage(ms));

/** The compiled child script: beside this module, or under dist/ when this module runs from TypeScript source. */
export function childScriptPath(): string {
  return firstExistingScript(
    [new URL('./pdf-read-child.js', import.meta.url), new URL('../dist/forms/pdf-read-child.js', import.meta.url)],
    (paths) => `forms/pdf-read-child.js not found (looked at ${paths.join(', ')}); run npm run build`,
  );
}

/** Starts a parse child with a heap limit, an OS memory limit (lib/isolation/memory-limit.ts) and an empty environment. */
export function forkParseChild(script: string, maxOldSpaceMb: number): ChildProcess {
  return forkIsolatedChild(script, maxOldSpaceMb, privateTmpEnv()); // TMPDIR only: qpdf's copies go in the desk's private folder
}

/** The result for a child that died in the middle of a read: out of memory is E_PDF_TOO_LARGE, anything else E_PDF_CORRUPT. */
export function classifyDeath(code: number | null, signal: NodeJS.Signals | null, stderrTail: string): ReadResult {
  return outOfMemoryDeath(code, signal, stderrTail) ? tooLarge() : crashed();
}

/** A well-formed ReadResult from the child (anything else is treated as a crash). */
export function isReadResult(x: unknown): x is ReadResult {
  return typeof x === 'object' && x !== null && typeof (x as { ok?: unknown }).ok === 'boolean';
}
