/**
 * The Debian programs the paper reader runs (DSK-9), each with no shell, no
 * environment but TMPDIR, and a deadline: a program still running shortly
 * before the read's deadline is killed, so none outlives the parse child the
 * parent would kill then. Their files go in a private temp folder that is
 * removed in `finally`, whatever happens: a page image of a card form is card
 * data and is never left behind (DSK-5). Nothing here logs.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Absolute paths: the parse child has no PATH (scripts/install-deps.sh installs them). */
export const TOOL = {
  pdftotext: '/usr/bin/pdftotext',
  pdftoppm: '/usr/bin/pdftoppm',
  pdfimages: '/usr/bin/pdfimages',
  zbarimg: '/usr/bin/zbarimg',
  tesseract: '/usr/bin/tesseract',
  convert: '/usr/bin/convert',
} as const;

/** A program is stopped this long before the deadline. */
const MARGIN_MS = 300;

export class ToolTimeout extends Error {
  constructor() {
    super('a paper tool ran out of time');
  }
}

export class ToolFailed extends Error {
  constructor(readonly status: number | null) {
    super('a paper tool failed');
  }
}

export interface RunOptions {
  deadline: number;
  stdin?: Uint8Array;
  /** Exit statuses taken as success besides 0 (zbarimg: 4 = no code found). */
  okStatus?: number[];
  /** Stdout larger than this fails the run. Default 64 MiB. */
  maxBytes?: number;
}

/** Runs `cmd args`, resolving with its stdout. */
export function runTool(cmd: string, args: string[], opts: RunOptions): Promise<{ stdout: Buffer; status: number }> {
  const left = opts.deadline - Date.now() - MARGIN_MS;
  if (left <= 0) return Promise.reject(new ToolTimeout());
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: { TMPDIR: tmpdir(), OMP_THREAD_LIMIT: '1' },
      stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'ignore'],
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | undefined, status = 0): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        if (child.exitCode === null) child.kill('SIGKILL');
        reject(err);
      } else resolve({ stdout: Buffer.concat(chunks), status });
    };
    const timer = setTimeout(() => finish(new ToolTimeout()), left);
    child.stdout?.on('data', (c: Buffer) => {
      size += c.length;
      if (size > (opts.maxBytes ?? 64 * 1024 * 1024)) finish(new ToolFailed(null));
      else chunks.push(c);
    });
    child.on('error', () => finish(new ToolFailed(null)));
    child.on('close', (status) => {
      if (status === 0 || (status !== null && (opts.okStatus ?? []).includes(status))) finish(undefined, status ?? 0);
      else finish(new ToolFailed(status));
    });
    if (opts.stdin && child.stdin) {
      child.stdin.on('error', () => {});
      child.stdin.end(Buffer.from(opts.stdin));
    }
  });
}

/** Runs `work` in a fresh private folder (0700) that is removed afterwards, whatever happens. */
export async function inPaperTemp<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'ld-paper-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
