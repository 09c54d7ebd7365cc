/**
 * The desk as users run it: the built CLI in child processes, configured by
 * environment variables only (docs/interfaces.md). Tests drive it through the CLI,
 * the mailbox and the SMTP sink, never through its internals.
 */
import { waitFor } from '../../embedded/net.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'licensedesk.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built CLI; `input`, when given, is written to its stdin (how `user add` and `user passwd` take a password). */
export function runCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
  input?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`licensedesk ${args.join(' ')} timed out\n${stderr}`));
    }, timeoutMs);
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    if (input !== undefined) p.stdin.end(input);
  });
}

export async function cliJson<T>(args: string[], env: Record<string, string>): Promise<T> {
  const r = await runCli([...args, '--json'], env);
  if (r.code !== 0) throw new Error(`licensedesk ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export async function cliJsonLines<T>(args: string[], env: Record<string, string>): Promise<T[]> {
  const r = await runCli([...args, '--json'], env);
  if (r.code !== 0) throw new Error(`licensedesk ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

export interface DeskProcess {
  proc: ChildProcess;
  /** Everything the process logged (stderr). */
  logs(): string;
  stop(): Promise<number>;
  kill(): Promise<void>;
}

export function startDesk(env: Record<string, string>, args: string[] = []): DeskProcess {
  // DESK_CPU_PROF=DIR: each desk writes a V8 CPU profile there when it exits (node --cpu-prof), to see what holds its event loop.
  const prof = process.env.DESK_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.DESK_CPU_PROF}`] : [];
  const proc = spawn(process.execPath, [...prof, BIN, 'start', ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    cwd: ROOT,
  });
  let logs = '';
  proc.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
  const exited = new Promise<number>((resolve) => proc.on('close', (code) => resolve(code ?? -1)));
  return {
    proc,
    logs: () => logs,
    async stop() {
      proc.kill('SIGTERM');
      return exited;
    },
    async kill() {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** Waits until a started desk's console answers at `base` (its /health), as a client would before its first call. */
export async function waitForConsole(base: string, ms = 20_000): Promise<void> {
  await waitFor(
    async () => {
      try {
        return (await fetch(`${base}/health`)).status < 500;
      } catch {
        return false;
      }
    },
    ms,
    'the console to listen',
  );
}

/** Polls `case show N --json` until the case is in one of `states`; returns it. */
export async function waitForCaseState<T extends { state: string }>(
  env: Record<string, string>,
  n: string,
  states: string[],
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    const r = await runCli(['case', 'show', n, '--json'], env);
    if (r.code === 0) {
      last = JSON.parse(r.stdout) as T;
      if (states.includes(last.state)) return last;
    }
    if (Date.now() > until) {
      throw new Error(
        `case ${n} did not reach ${states.join('|')} in ${ms} ms (last: ${last ? JSON.stringify(last).slice(0, 600) : 'no case'})`,
      );
    }
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** The kind and case headers of a mail the desk sent (docs/interfaces.md). */
export const mailKind = (m: { parsed: { headers: Map<string, unknown> } }): string =>
  String(m.parsed.headers.get('x-licensedesk-kind') ?? '');
export const mailCase = (m: { parsed: { headers: Map<string, unknown> } }): string =>
  String(m.parsed.headers.get('x-licensedesk-case') ?? '');
