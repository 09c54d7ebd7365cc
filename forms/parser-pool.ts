/**
 * A small pool of persistent parse children (parse-child.js), so reading a PDF
 * costs the parse and not a process start. Every guarantee of a fresh process
 * per PDF holds per request:
 *   - parsing never runs on the caller's event loop;
 *   - each request has a wall-clock budget, counted from when a ready child
 *     takes it; a child over budget is killed (E_PDF_TIMEOUT) and replaced;
 *   - each child has a V8 heap limit; one that runs out of memory
 *     (E_PDF_TOO_LARGE) or dies otherwise (E_PDF_CORRUPT) is replaced;
 *   - children get an empty environment, and nothing they read is logged;
 *   - inputs over maxBytes are refused without parsing.
 * A child handles one request at a time; requests wait in a queue while every
 * child is busy. A child is recycled after maxParsesPerChild reads, to bound
 * what a long-lived heap can accumulate. Idle children are unreferenced, so the
 * pool never keeps a process alive by itself.
 */
import type { ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import {
  ISOLATED_DEFAULTS,
  childScriptPath,
  classifyDeath,
  crashed,
  forkParseChild,
  isReadResult,
  tailStderr,
  timedOut,
  tooLarge,
} from './isolation.js';
import type { ReadResult } from './types.js';

export interface ParserPoolOptions {
  /** Number of children. Default: available parallelism, at least 1, at most 4. */
  size?: number;
  /** Every child's V8 old-space limit. Default 256 MB. */
  maxOldSpaceMb?: number;
  /** A child is replaced after this many reads. Default 200. */
  maxParsesPerChild?: number;
  /** A child not ready this long after its fork is killed. Default 20 s. */
  startTimeoutMs?: number;
}

export interface PoolReadOptions {
  /** Wall-clock budget for this PDF, from when a child takes it. Default 15 s. */
  timeoutMs?: number;
  /** Larger inputs are refused without parsing. Default 25 MiB. */
  maxBytes?: number;
}

export interface ParserPoolStats {
  size: number;
  /** Live children (starting, idle or busy). */
  children: number;
  busy: number;
  queued: number;
  /** Process ids of the live children. */
  pids: number[];
  /** Children forked since the pool was made. */
  forked: number;
}

export const DEFAULT_POOL_SIZE = (): number => Math.min(4, Math.max(1, availableParallelism()));
const DEFAULT_MAX_PARSES = 200;
const DEFAULT_START_TIMEOUT_MS = 20_000;
/** Children that die before ever becoming ready, in a row, before queued reads are failed. */
const MAX_START_FAILURES = 3;

interface Job {
  id: number;
  bytes: Uint8Array;
  timeoutMs: number;
  maxBytes: number;
  resolve: (r: ReadResult) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
  /** Read once more after its child was SIGKILLed from outside (see onDeath). */
  retried?: boolean;
}

interface Child {
  proc: ChildProcess;
  state: 'starting' | 'idle' | 'busy' | 'dead';
  parses: number;
  stderrTail: string;
  job?: Job;
  startTimer?: NodeJS.Timeout;
  referenced: boolean;
  exited: Promise<void>;
}

type Refable = { ref?: () => void; unref?: () => void };

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`ParserPool: ${name} must be a positive integer (got ${v})`);
  return v;
}

export class ParserPool {
  readonly size: number;
  readonly maxOldSpaceMb: number;
  private readonly maxParses: number;
  private readonly startTimeoutMs: number;
  private script: string | undefined;
  private readonly children: Child[] = [];
  /** Every forked child until its exit, including those already taken out of the pool. */
  private readonly alive = new Set<Child>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private forked = 0;
  private startFailures = 0;
  private closed = false;
  private drained: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(opts: ParserPoolOptions = {}) {
    this.size = positiveInt('size', opts.size ?? DEFAULT_POOL_SIZE());
    this.maxOldSpaceMb = positiveInt('maxOldSpaceMb', opts.maxOldSpaceMb ?? ISOLATED_DEFAULTS.maxOldSpaceMb);
    this.maxParses = positiveInt('maxParsesPerChild', opts.maxParsesPerChild ?? DEFAULT_MAX_PARSES);
    this.startTimeoutMs = positiveInt('startTimeoutMs', opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  }

  /**
   * Reads `bytes` like readPdfForm, in one of the pool's children. Resolves
   * with E_PDF_TIMEOUT when the budget runs out (that child is killed),
   * E_PDF_TOO_LARGE when the child runs out of memory or the input is over
   * maxBytes, E_PDF_CORRUPT when the child dies otherwise. Rejects only when no
   * child can be started, or the pool is closed.
   */
  read(bytes: Uint8Array, opts: PoolReadOptions = {}): Promise<ReadResult> {
    const timeoutMs = opts.timeoutMs ?? ISOLATED_DEFAULTS.timeoutMs;
    const maxBytes = opts.maxBytes ?? ISOLATED_DEFAULTS.maxBytes;
    if (bytes.byteLength > maxBytes) return Promise.resolve(tooLarge());
    if (this.closed) return Promise.reject(new Error('the PDF parser pool is closed'));
    try {
      this.script ??= childScriptPath();
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<ReadResult>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, bytes, timeoutMs, maxBytes, resolve, reject });
      this.pump();
    });
  }

  /**
   * Stops taking reads; reads already asked for finish (each within its
   * budget); then stops every child. Resolves once they have all exited.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.closing = (async () => {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
        this.checkDrained();
      });
      for (const c of [...this.children]) this.stop(c);
      const all = [...this.alive];
      // Referenced until they have exited, so `await pool.close()` returns before the process may end.
      for (const c of all) this.setReferenced(c, true);
      await Promise.all(all.map((c) => c.exited));
    })();
    return this.closing;
  }

  get stats(): ParserPoolStats {
    return {
      size: this.size,
      children: this.children.length,
      busy: this.children.filter((c) => c.state === 'busy').length,
      queued: this.queue.length,
      pids: this.children.flatMap((c) => (c.proc.pid === undefined ? [] : [c.proc.pid])),
      forked: this.forked,
    };
  }

  /** Hands queued reads to idle children, and starts children for the rest (up to size). */
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
    this.updateRefs();
    this.checkDrained();
  }

  private spawn(): void {
    const script = this.script!;
    let proc: ChildProcess;
    try {
      proc = forkParseChild(script, this.maxOldSpaceMb);
    } catch (err) {
      this.startFailed(err instanceof Error ? err.message : String(err));
      return;
    }
    this.forked++;
    let markExited!: () => void;
    const child: Child = {
      proc,
      state: 'starting',
      parses: 0,
      stderrTail: '',
      referenced: true,
      exited: new Promise<void>((resolve) => (markExited = resolve)),
    };
    this.children.push(child);
    this.alive.add(child);
    child.startTimer = setTimeout(() => {
      if (child.state !== 'starting') return;
      this.stop(child);
      this.startFailed(`not ready within ${this.startTimeoutMs} ms`);
    }, this.startTimeoutMs);
    child.startTimer.unref();

    tailStderr(proc, (tail) => (child.stderrTail = tail));
    proc.on('message', (msg: unknown) => this.onMessage(child, msg));
    let dead = false;
    const onDeath = (code: number | null, signal: NodeJS.Signals | null, why: string): void => {
      if (dead) return;
      dead = true;
      this.alive.delete(child);
      markExited();
      this.onDeath(child, code, signal, why);
    };
    proc.on('error', (err) => {
      // Only a failed spawn ends the child here; other errors (a failed kill or send) are followed by 'exit' or handled where raised.
      if (proc.pid === undefined) onDeath(null, null, err.message);
    });
    proc.on('exit', (code, signal) => onDeath(code, signal, `exited with ${signal ?? code}`));
  }

  private dispatch(child: Child, job: Job): void {
    child.state = 'busy';
    child.job = job;
    // Sent along, so the child can stop a qpdf it runs (decrypt.ts) before this timer kills the child.
    const deadline = Date.now() + job.timeoutMs;
    job.timer = setTimeout(() => {
      if (child.job !== job) return;
      child.job = undefined;
      job.resolve(timedOut(job.timeoutMs));
      this.stop(child);
      this.pump();
    }, job.timeoutMs);
    const { id, bytes, timeoutMs, maxBytes } = job;
    // The child has its copy; do not hold the PDF longer than needed, except for the one read again if this
    // child is SIGKILLed from outside (onDeath).
    if (job.retried) job.bytes = new Uint8Array(0);
    // A send error means the child died or cannot be talked to: stop it; the request is classified as a crash.
    child.proc.send({ id, bytes, deadline, timeoutMs, maxBytes }, (err) => {
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
    if (!job || m.id !== job.id) return; // not a reply to the request in hand
    clearTimeout(job.timer);
    child.job = undefined;
    child.parses++;
    if (isReadResult(m.result)) {
      job.resolve(m.result);
      if (child.parses >= this.maxParses) this.stop(child);
      else child.state = 'idle';
    } else {
      job.resolve(crashed());
      this.stop(child);
    }
    this.pump();
  }

  private onDeath(child: Child, code: number | null, signal: NodeJS.Signals | null, why: string): void {
    const wasStarting = child.state === 'starting';
    this.forget(child);
    const job = child.job;
    if (job) {
      child.job = undefined;
      clearTimeout(job.timer);
      // SIGKILL from outside (an operator, the kernel's OOM killer, the chaos test) says nothing about the
      // PDF: read it once more in a fresh child before telling a partner the form is unreadable. A PDF
      // whose child dies a second time is classified as before.
      if (signal === 'SIGKILL' && !job.retried && !this.closed && job.bytes.byteLength > 0) {
        job.retried = true;
        this.queue.unshift(job);
      } else {
        job.bytes = new Uint8Array(0);
        job.resolve(classifyDeath(code, signal, child.stderrTail));
      }
    }
    if (wasStarting) this.startFailed(why);
    else this.pump();
  }

  /** A child died or could not be forked before it was ready; after a few in a row, queued reads fail. */
  private startFailed(why: string): void {
    if (++this.startFailures >= MAX_START_FAILURES) {
      this.startFailures = 0;
      const err = new Error(`could not start the PDF reader process: ${why}`);
      for (const job of this.queue.splice(0)) job.reject(err);
    }
    this.pump();
  }

  /** Kills a child (it has no state worth a graceful stop) and takes it out of the pool at once. */
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

  /** A child keeps the process alive only while it has work: busy, or starting for a queued read. */
  private updateRefs(): void {
    for (const c of this.children) this.setReferenced(c, c.state === 'busy' || (c.state === 'starting' && this.queue.length > 0));
  }

  private setReferenced(child: Child, on: boolean): void {
    if (child.referenced === on) return;
    child.referenced = on;
    const handles: Refable[] = [child.proc, child.proc.channel as unknown as Refable | null | undefined, child.proc.stderr as Refable | null].filter(
      (h): h is Refable => !!h,
    );
    for (const h of handles) (on ? h.ref : h.unref)?.call(h);
  }

  private checkDrained(): void {
    if (this.drained && this.queue.length === 0 && !this.children.some((c) => c.state === 'busy')) {
      const done = this.drained;
      this.drained = undefined;
      done();
    }
  }
}
