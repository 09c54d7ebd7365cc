/**
 * A private folder for the temporary files of one desk process (qpdf's copies
 * of partner PDFs in forms/decrypt.ts and forms/revisions.ts): mode 0700 under
 * os.tmpdir(), `licensedesk-<uid>/<pid>`. It is removed when the process exits,
 * and `start` removes the folders of processes that are gone (a SIGKILL leaves
 * one behind), so no partner PDF outlives the process that read it.
 * The desk's TMPDIR points into it, and the PDF children get it as theirs.
 */
import { chmodSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let current: string | undefined;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates this process's private folder (once), clears dead processes' ones, and makes it TMPDIR. */
export function openPrivateTmp(): string {
  if (current) return current;
  const root = join(tmpdir(), `licensedesk-${process.getuid?.() ?? 'user'}`);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  chmodSync(root, 0o700); // an existing folder keeps its mode otherwise
  for (const name of readdirSync(root)) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
  const dir = join(root, String(process.pid));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { mode: 0o700 });
  current = dir;
  process.env.TMPDIR = dir;
  process.once('exit', closePrivateTmp);
  return dir;
}

export function closePrivateTmp(): void {
  if (!current) return;
  rmSync(current, { recursive: true, force: true });
  current = undefined;
}

/** The environment a PDF child gets: nothing but where its temporary files go. */
export function privateTmpEnv(): Record<string, string> {
  return current ? { TMPDIR: current } : {};
}
