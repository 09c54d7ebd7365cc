/**
 * A small pool of persistent MIME children (mime-child.js), the mail
 * counterpart of forms/parser-pool.ts: mail is parsed in another process, so
 * no message can block the desk's event loop (lock renewals, the ingest lease,
 * the console) however it is built.
 *   - each request has a wall-clock budget from when a child takes it; a child
 *     over budget is killed (E_MAIL_TIMEOUT) and replaced;
 *   - each child has a heap limit and an OS address-space limit
 *     (lib/memory-limit.ts); one that runs out (E_MAIL_TOO_LARGE) or dies
 *     otherwise (E_MAIL_UNREADABLE) is replaced;
 *   - children get an empty environment; their stderr is read only to tell an
 *     out-of-memory death from another crash, never logged;
 *   - a child is recycled after maxParsesPerChild messages; idle children are
 *     unreferenced, so the pool never keeps a process alive by itself.
 */
import { CODES } from '../lib/errors.js';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { limitedForkOptions } from '../lib/memory-limit.js';
import { isMailParseResult, mailParseError, type MailParseResult } from './mail-lite.js';

export interface MimePoolOptions {
  /** Number of children. Default: available parallelism, 1 to 4. */
  size?: number;
  /** Every child's V8 old-space limit. Default 384 MB (mailparser keeps decoded text in the heap). */
  maxOldSpaceMb?: number;
  /** A child is replaced after this many messages. Default 200. */
  maxParsesPerChild?: number;
}

interface Job {
  id: number;
  raw: Uint8Array;
  timeoutMs: number;
  resolve: (r: MailParseResult) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

interface Child {
  proc: ChildProcess;
  state: 'starting' | 'idle' | 'busy' | 'dead';
  parses: number;
  stderrTail: string;
  job?: Job;
  startTimer?: NodeJS.Timeout;
  exited: Promise<void>;
}

const START_TIMEOUT_MS = 20_000;
const MAX_START_FAILURES = 3;

/** The compiled child script: beside this module, or under dist/ when this module runs from TypeScript source. */
export function mimeChildScriptPath(): string {
  const candidates = [new URL('./mime-child.js', import.meta.url), new URL('../dist/mail/mime-child.js', import.meta.url)];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error('mail/mime-child.js not found; run npm run build');
}

export class MimePool {
  readonly size: number;
  private readonly maxOldSpaceMb: number;
  private readonly maxParses: number;
  private script: string | undefined;
  private readonly children: Child[] = [];
  private readonly alive = new Set<Child>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private startFailures = 0;
  private closed = false;

  constructor(opts: MimePoolOptions = {}) {
    this.size = opts.size ?? Math.min(4, Math.max(1, availableParallelism()));
    this.maxOldSpaceMb = opts.maxOldSpaceMb ?? 384;
    this.maxParses = opts.maxParsesPerChild ?? 200;
  }

  /** Process ids of the live children (tests and metrics). */
  get pids(): number[] {
    return this.children.flatMap((c) => (c.proc.pid === undefined ? [] : [c.proc.pid]));
  }

  /** Parses `raw` in a child within `timeoutMs`. Rejects only when no child can be started or the pool is closed. */
  parse(raw: Uint8Array, timeoutMs: number): Promise<MailParseResult> {
    if (this.closed) return Promise.reject(new Error('the MIME parser pool is closed'));
    if (timeoutMs <= 0) return Promise.resolve(mailParseError(CODES.E_MAIL_TIMEOUT, 0));
    try {
      this.script ??= mimeChildScriptPath();
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<MailParseResult>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, raw, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  /** Starts one child ahead of the first mail, so that mail does not wait for a Node start-up (about a second on a busy host). */
  prewarm(): void {
    if (this.closed || this.children.length > 0) return;
    try {
      this.script ??= mimeChildScriptPath();
    } catch {
      return; // the first parse reports it
    }
    this.spawn();
    this.pump();
  }

  /** Stops every child (a parse in hand ends as a crash); resolves once they have exited. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the MIME parser pool is closed'));
    const all = [...this.alive];
    for (const c of all) this.stop(c);
    await Promise.all(all.map((c) => c.exited));
  }

  private pump(): void {
    for (;;) {
      const job = this.queue[0];
      const idle = job && this.children.find((c) => c.state === 'idle');
      if (!job || !idle) break;
      this.queue.shift();
      this.dispatch(idle, job);
    }
    const starting = this.children.filter((c) => c.state === 'starting').length;
    for (let wanted = this.queue.length - starting; wanted > 0 && this.children.length < this.size; wanted--) this.spawn();
    for (const c of this.children) this.setReferenced(c, c.state === 'busy' || (c.state === 'starting' && this.queue.length > 0));
  }

  private spawn(): void {
    let proc: ChildProcess;
    try {
      proc = fork(this.script!, [], {
        ...limitedForkOptions([`--max-old-space-size=${this.maxOldSpaceMb}`]),
        env: {},
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
    } catch (err) {
      this.startFailed(err instanceof Error ? err.message : String(err));
      return;
    }
    let markExited!: () => void;
    const child: Child = { proc, state: 'starting', parses: 0, stderrTail: '', exited: new Promise<void>((r) => (markExited = r)) };
    this.children.push(child);
    this.alive.add(child);
    child.startTimer = setTimeout(() => {
      if (child.state !== 'starting') return;
      this.stop(child);
      this.startFailed(`not ready within ${START_TIMEOUT_MS} ms`);
    }, START_TIMEOUT_MS);
    child.startTimer.unref();
    proc.stderr?.on('data', (chunk: Buffer) => (child.stderrTail = (child.stderrTail + chunk.toString('latin1')).slice(-4096)));
    proc.on('message', (msg: unknown) => this.onMessage(child, msg));
    let dead = false;
    const onDeath = (code: number | null, signal: NodeJS.Signals | null, why: string): void => {
      if (dead) return;
      dead = true;
      this.alive.delete(child);
      markExited();
      const wasStarting = child.state === 'starting';
      this.forget(child);
      const job = child.job;
      if (job) {
        child.job = undefined;
        clearTimeout(job.timer);
        const oom = /heap out of memory|Reached heap limit|Allocation failed|Fatal process out of memory|Fatal process OOM/i.test(child.stderrTail);
        job.resolve(mailParseError(oom || signal === 'SIGABRT' || signal === 'SIGTRAP' || code === 134 ? CODES.E_MAIL_TOO_LARGE : CODES.E_MAIL_UNREADABLE));
      }
      if (wasStarting) this.startFailed(why);
      else this.pump();
    };
    proc.on('error', (err) => {
      if (proc.pid === undefined) onDeath(null, null, err.message);
    });
    proc.on('exit', (code, signal) => onDeath(code, signal, `exited with ${signal ?? code}`));
  }

  private dispatch(child: Child, job: Job): void {
    child.state = 'busy';
    child.job = job;
    job.timer = setTimeout(() => {
      if (child.job !== job) return;
      child.job = undefined;
      job.resolve(mailParseError(CODES.E_MAIL_TIMEOUT, job.timeoutMs));
      this.stop(child);
      this.pump();
    }, job.timeoutMs);
    const { id, raw } = job;
    job.raw = new Uint8Array(0); // the child has its copy
    child.proc.send({ id, raw }, (err) => {
      if (err && child.job === job) this.stop(child);
    });
  }

  private onMessage(child: Child, msg: unknown): void {
    if (child.state === 'dead') return;
    const m = (typeof msg === 'object' && msg !== null ? msg : {}) as { ready?: unknown; id?: unknown; result?: unknown };
    if (m.ready === true) {
      if (child.state !== 'starting') return;
      clearTimeout(child.startTimer);
      child.state = 'idle';
      this.startFailures = 0;
      this.pump();
      return;
    }
    const job = child.job;
    if (!job || m.id !== job.id) return;
    clearTimeout(job.timer);
    child.job = undefined;
    child.parses++;
    if (isMailParseResult(m.result)) {
      job.resolve(m.result);
      if (child.parses >= this.maxParses) this.stop(child);
      else child.state = 'idle';
    } else {
      job.resolve(mailParseError(CODES.E_MAIL_UNREADABLE));
      this.stop(child);
    }
    this.pump();
  }

  private startFailed(why: string): void {
    if (++this.startFailures >= MAX_START_FAILURES) {
      this.startFailures = 0;
      const err = new Error(`could not start the MIME parser process: ${why}`);
      for (const job of this.queue.splice(0)) job.reject(err);
    }
    this.pump();
  }

  private stop(child: Child): void {
    this.forget(child);
    if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
  }

  private forget(child: Child): void {
    if (child.state === 'dead') return;
    child.state = 'dead';
    clearTimeout(child.startTimer);
    const i = this.children.indexOf(child);
    if (i >= 0) this.children.splice(i, 1);
  }

  private setReferenced(child: Child, on: boolean): void {
    type Refable = { ref?: () => void; unref?: () => void };
    const handles = [child.proc, child.proc.channel as unknown as Refable | null | undefined, child.proc.stderr as Refable | null].filter((h): h is Refable => !!h);
    for (const h of handles) (on ? h.ref : h.unref)?.call(h);
  }
}
