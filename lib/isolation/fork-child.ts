/**
 * A child process that handles hostile partner input (the PDF children of
 * forms/, the MIME children of mail/): how it is started and how its death is
 * read. Nothing here logs: a child's stderr is read only to tell an
 * out-of-memory death from another crash, never written anywhere (DSK-5).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXIT_OUT_OF_MEMORY } from './allocation-failure.js';
import { limitedForkOptions } from './memory-limit.js';

/**
 * Starts `node script` with a V8 heap limit, the OS address-space limit
 * (lib/isolation/memory-limit.ts) and only the environment given.
 */
export function forkIsolatedChild(script: string, maxOldSpaceMb: number, env: NodeJS.ProcessEnv): ChildProcess {
  return fork(script, [], {
    ...limitedForkOptions([`--max-old-space-size=${maxOldSpaceMb}`]),
    // No secrets and no NODE_OPTIONS from the parent reach a process that parses hostile input.
    env,
    serialization: 'advanced',
    // stderr is read only to tell an out-of-memory death from another crash; it is never logged.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
}

/** The first of `candidates` (a compiled child script) that exists; `missing` is the error otherwise. */
export function firstExistingScript(candidates: URL[], missing: (paths: string[]) => string): string {
  const paths = candidates.map((url) => fileURLToPath(url));
  const found = paths.find((path) => existsSync(path));
  if (found === undefined) throw new Error(missing(paths));
  return found;
}

/** Keeps the last few KiB of a child's stderr, for outOfMemoryDeath. */
export function tailStderr(child: ChildProcess, sink: (tail: string) => void): void {
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('latin1')).slice(-4096);
    sink(tail);
  });
}

/**
 * `onExit` once the child has exited and its stderr has been read to the end (or after `graceMs`): at 'exit', a
 * dying child's last stderr lines (V8's out-of-memory report) may still be in the pipe, and without them a memory
 * death under load reads as a crash.
 */
export function onExitWithStderr(
  child: ChildProcess,
  onExit: (code: number | null, signal: NodeJS.Signals | null) => void,
  graceMs = 1000,
): void {
  child.on('exit', (code, signal) => {
    const err = child.stderr;
    if (!err || err.destroyed || err.readableEnded) return onExit(code, signal);
    let done = false;
    const go = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      onExit(code, signal);
    };
    const timer = setTimeout(go, graceMs);
    timer.unref();
    err.once('close', go);
    err.once('end', go);
  });
}

/**
 * Whether a child died of memory: V8's out-of-memory report on stderr, the abort it ends with, V8's trap on a
 * failed reservation (SIGTRAP), or a failed allocation the child itself saw (EXIT_OUT_OF_MEMORY).
 */
export function outOfMemoryDeath(code: number | null, signal: NodeJS.Signals | null, stderrTail: string): boolean {
  const oom =
    /heap out of memory|Reached heap limit|Allocation failed|Fatal process out of memory|Fatal process OOM/i.test(
      stderrTail,
    );
  return oom || signal === 'SIGABRT' || signal === 'SIGTRAP' || code === 134 || code === EXIT_OUT_OF_MEMORY;
}
