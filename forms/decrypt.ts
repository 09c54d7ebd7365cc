/**
 * Reads an encrypted PDF that has only an owner password (anyone may open it;
 * the password restricts printing or editing). Partners' PDF programs save
 * such files, and pdf-lib cannot read them: with ignoreEncryption it returns
 * ciphertext, sometimes zero fields. qpdf tells the two kinds of encrypted PDF
 * apart (`qpdf --requires-password`: exit 0 = a user password is needed, 2 =
 * not encrypted, 3 = encrypted, no password needed) and decrypts the second
 * (`qpdf --decrypt`), after which the file is read as usual.
 *
 * Runs in the parse child (forms/pdf-read-child.ts), inside the read's time budget:
 * qpdf is stopped shortly before the deadline, so it is gone before the parent
 * kills the child (which would orphan it). qpdf gets no shell, no environment
 * and a private temp dir (mode 0700) that is removed afterwards. When qpdf is
 * missing or fails, the PDF stays E_PDF_ENCRYPTED, with the usual message.
 * Nothing here logs, and qpdf's output goes nowhere (DSK-5).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ISOLATED_DEFAULTS, timedOut, tooLarge } from './pdf-read-protocol.js';
import { readPdfForm } from './pdf-reader.js';
import type { ReadResult } from './types.js';
import { CODES } from '../lib/errors.js';

/** Where scripts/install-deps.sh puts qpdf (Debian's package). An absolute path: the parse child has no PATH. */
export const QPDF_PATH = '/usr/bin/qpdf';

export interface DecryptOptions {
  /** Epoch ms at which the read's budget runs out (the parent kills the child then). Default: now + timeoutMs. */
  deadline?: number;
  /** The read's whole budget, for the E_PDF_TIMEOUT message. Default 15 s. */
  timeoutMs?: number;
  /** A decrypted file larger than this is E_PDF_TOO_LARGE. Default 25 MiB. */
  maxBytes?: number;
  /** Default QPDF_PATH. */
  qpdfPath?: string;
  /** Where the private temp dir is made. Default os.tmpdir(). */
  tmpRoot?: string;
}

export type DecryptOutcome =
  | { kind: 'decrypted'; bytes: Uint8Array }
  | { kind: 'needs-password' }
  | { kind: 'not-encrypted' }
  | { kind: 'qpdf-missing' }
  | { kind: 'failed' }
  | { kind: 'timeout' }
  | { kind: 'too-large' };

/** qpdf is stopped this long before the deadline, so it has exited before the parent's kill. */
const MARGIN_MS = 300;

/**
 * readPdfForm, except that an owner-password-only PDF is decrypted with qpdf
 * and read. A PDF that needs a user password stays E_PDF_ENCRYPTED.
 */
export async function readPdfFormDecrypting(bytes: Uint8Array, opts: DecryptOptions = {}): Promise<ReadResult> {
  return (await readPdfFormDecryptingDetailed(bytes, opts)).result;
}

/**
 * readPdfFormDecrypting, also saying whether the result was read from qpdf's
 * decrypted rewrite (which holds only the objects qpdf reached through the
 * xref) rather than from `bytes` as they came.
 */
export async function readPdfFormDecryptingDetailed(
  bytes: Uint8Array,
  opts: DecryptOptions = {},
): Promise<{ result: ReadResult; decrypted: boolean }> {
  const first = await readPdfForm(bytes);
  if (first.ok || first.error.code !== CODES.E_PDF_ENCRYPTED) return { result: first, decrypted: false };
  const outcome = await decryptOwnerOnly(bytes, opts);
  switch (outcome.kind) {
    case 'decrypted':
      return { result: await readPdfForm(outcome.bytes), decrypted: true };
    case 'timeout':
      return { result: timedOut(opts.timeoutMs ?? ISOLATED_DEFAULTS.timeoutMs), decrypted: false };
    case 'too-large':
      return { result: tooLarge(), decrypted: false };
    default:
      return { result: first, decrypted: false }; // a user password is needed, or qpdf is missing or failed
  }
}

/** Decrypts `bytes` with qpdf if it is encrypted with an owner password only. */
export async function decryptOwnerOnly(bytes: Uint8Array, opts: DecryptOptions = {}): Promise<DecryptOutcome> {
  const qpdf = opts.qpdfPath ?? QPDF_PATH;
  const deadline = opts.deadline ?? Date.now() + (opts.timeoutMs ?? ISOLATED_DEFAULTS.timeoutMs);
  const maxBytes = opts.maxBytes ?? ISOLATED_DEFAULTS.maxBytes;
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(opts.tmpRoot ?? tmpdir(), 'ld-decrypt-')); // mode 0700
    const input = join(dir, 'in.pdf');
    const output = join(dir, 'out.pdf');
    await writeFile(input, bytes, { mode: 0o600, flag: 'wx' });

    const probe = await runQpdf(qpdf, ['--requires-password', input], deadline);
    if (typeof probe !== 'number') return { kind: probe };
    if (probe === 0) return { kind: 'needs-password' };
    if (probe === 2) return { kind: 'not-encrypted' }; // or too damaged for qpdf to tell
    if (probe !== 3) return { kind: 'failed' };

    // --decode-level=none: streams keep their compression (a compression bomb is not inflated here).
    const done = await runQpdf(qpdf, ['--decrypt', '--decode-level=none', input, output], deadline);
    if (typeof done !== 'number') return { kind: done };
    if (done !== 0 && done !== 3) return { kind: 'failed' }; // 3: written, with warnings
    const size = (await stat(output)).size;
    if (size === 0) return { kind: 'failed' };
    if (size > maxBytes) return { kind: 'too-large' };
    return { kind: 'decrypted', bytes: new Uint8Array(await readFile(output)) };
  } catch {
    return { kind: 'failed' };
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

/** qpdf processes still running: killed if this process exits first (e.g. the parent disconnects). */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Runs qpdf without a shell or environment, its output ignored (give it an
 * output file in a private temp dir); stopped MARGIN_MS before `deadline`.
 * Its exit code, or why there is none.
 */
export function runQpdf(
  qpdf: string,
  args: string[],
  deadline: number,
): Promise<number | 'qpdf-missing' | 'timeout' | 'failed'> {
  const ms = deadline - MARGIN_MS - Date.now();
  if (ms <= 0) return Promise.resolve('timeout');
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const p of running) p.kill('SIGKILL');
    });
  }
  return new Promise((resolve) => {
    let settled = false;
    let proc: ChildProcess;
    const finish = (r: number | 'qpdf-missing' | 'timeout' | 'failed'): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      running.delete(proc);
      resolve(r);
    };
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      proc.kill('SIGKILL');
    }, ms);
    try {
      proc = spawn(qpdf, args, { stdio: 'ignore', env: {}, shell: false, windowsHide: true });
    } catch {
      finish('qpdf-missing');
      return;
    }
    running.add(proc);
    proc.on('error', (err: NodeJS.ErrnoException) => {
      if (proc.pid === undefined) finish(err.code === 'ENOENT' || err.code === 'EACCES' ? 'qpdf-missing' : 'failed');
    });
    proc.on('exit', (code, signal) => finish(expired ? 'timeout' : signal !== null || code === null ? 'failed' : code));
  });
}
