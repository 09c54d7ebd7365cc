/**
 * A small pool of persistent, isolated child processes that each do one job at
 * a time: the mechanism under forms/pdf-read-pool.ts (PDFs) and
 * mail/mime-parse-pool.ts (MIME), so parsing hostile input costs the parse and not a
 * process start, and every guarantee of a fresh process per job holds per job:
 *   - the work never runs on the caller's event loop;
 *   - each job has a wall-clock budget, counted from when a ready child takes
 *     it; a child over budget is killed and replaced (spec.timedOut);
 *   - a child that dies with a job in hand is replaced, and the job gets
 *     spec.died (the caller tells an out-of-memory death from another crash);
 *   - a reply that is not a result is answered spec.badReply and that child
 *     is replaced.
 * How a child is started (limits, environment) is spec.fork's. A child answers
 * `{ ready: true }` once loaded (lib/isolation/child-serve.ts), then one
 * `{ id, result }` for each job it is sent, with `retiring: true` on the last
 * one when it is about to exit (after a failed allocation). Jobs wait in a queue while every
 * child is busy. A child is recycled when its heap after a job is over
 * maxHeapMb, or after maxJobsPerChild jobs, to bound what a long-lived heap can
 * accumulate. Idle children are unreferenced, so the
 * pool never keeps a process alive by itself.
 */
import type { ChildProcess } from 'node:child_process';
import { onExitWithStderr, tailStderr } from './fork-child.js';
import { errors } from '../errors.js';

export interface ChildPoolSpec<Input, Result> {
  /** Number of children at the most. */
  size: number;
  /**
   * A child is replaced after this many jobs: an age limit beside maxHeapMb. A child restarted often reads cold
   * (module loading, a JIT that has not warmed up): at 200 jobs a child, a PDF read cost twice what it costs warm.
   */
  maxJobsPerChild: number;
  /**
   * A child whose heap in use after a job (`heapMb` in its reply) is over this is replaced, before what it holds
   * on to makes an innocent input run out of memory. Unset: only maxJobsPerChild.
   */
  maxHeapMb?: number;
  /** A child not ready this long after its fork is killed. */
  startTimeoutMs: number;
  /** The error a job asked of a closed pool is rejected with. */
  closedMessage: string;
  /** Queued jobs are rejected with `${startFailedMessage}: why` when children keep failing to start. */
  startFailedMessage: string;
  /** The child script; looked up at the first job (or prewarm), and a throw rejects that job. */
  script: () => string;
  /** Starts a child running `script`, with its limits and environment; stderr piped, an IPC channel. */
  fork: (script: string) => ChildProcess;
  /** The message that hands a job to a child; made when a child takes the job, so it may count from then. */
  request: (id: number, input: Input, timeoutMs: number) => object;
  /** A well-formed result from the child (anything else is answered badReply). */
  isResult: (x: unknown) => x is Result;
  /** The result of a job over its budget (its child is killed). */
  timedOut: (timeoutMs: number) => Result;
  /** The result of a job whose child replied with something other than a result. */
  badReply: () => Result;
  /** The result of a job whose child died with it in hand. */
  died: (code: number | null, signal: NodeJS.Signals | null, stderrTail: string) => Result;
  /**
   * Run a job once more in a fresh child when its child was SIGKILLed from
   * outside (an operator, the kernel's OOM killer, a chaos test): that says
   * nothing about the input. A death on a child forked before the first kill
   * (killed in the same sweep) runs it again too. A second kill of a fresh
   * child rejects the job with
   * E_PARSE_CHILD_KILLED, so the caller's job fails and is tried again later
   * (the input is never judged by a kill); the memory limit itself
   * (RLIMIT_AS) ends a child with an abort, not a SIGKILL, and is `died`.
   */
  retryAfterKill?: boolean;
}

export interface ChildPoolStats {
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

/** A job's bytes over this size are sent to its child in parts of this size (ChildPool.send). */
export const BULK_PART_BYTES = 1024 * 1024;

/** Children that die before ever becoming ready, in a row, before queued jobs are failed. */
const MAX_START_FAILURES = 3;

interface Job<Input, Result> {
  id: number;
  /** Dropped once sent (the child has its copy, and the input is not held longer than needed), unless it may be run again. */
  input: Input | undefined;
  /**
   * Set when its child was first SIGKILLed from outside: the number of children
   * forked until then. A child forked after it is a fresh one; a child forked
   * before may have died in the same sweep (every child killed at once) without
   * the pool knowing yet, and dying on it does not count as a second kill.
   */
  killedWhenForked?: number;
  timeoutMs: number;
  resolve: (r: Result) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

interface Child<Input, Result> {
  proc: ChildProcess;
  state: 'starting' | 'idle' | 'busy' | 'dead';
  jobsDone: number;
  stderrTail: string;
  job?: Job<Input, Result>;
  startTimer?: NodeJS.Timeout;
  referenced: boolean;
  exited: Promise<void>;
  /** Its place in the order of forks (1 for the first child forked). */
  seq: number;
}

type Refable = { ref?: () => void; unref?: () => void };

export class ChildPool<Input, Result> {
  private script: string | undefined;
  private readonly children: Child<Input, Result>[] = [];
  /** Every forked child until its exit, including those already taken out of the pool. */
  private readonly alive = new Set<Child<Input, Result>>();
  private readonly queue: Job<Input, Result>[] = [];
  private nextId = 1;
  private forked = 0;
  private startFailures = 0;
  private closed = false;
  private drained: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly spec: ChildPoolSpec<Input, Result>) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Runs one job in a child within `timeoutMs`. Resolves with the child's
   * result, or spec.timedOut / spec.died / spec.badReply. Rejects when no
   * child can be started, when the pool is closed, and when a job's child was
   * SIGKILLed from outside twice (retryAfterKill).
   */
  run(input: Input, timeoutMs: number): Promise<Result> {
    if (this.closed) return Promise.reject(new Error(this.spec.closedMessage));
    try {
      this.script ??= this.spec.script();
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  /** Starts one child ahead of the first job, so that job does not wait for a Node start-up (about a second on a busy host). */
  prewarm(): void {
    if (this.closed || this.children.length > 0) return;
    try {
      this.script ??= this.spec.script();
    } catch {
      return; // the first job reports it
    }
    this.spawn();
    this.pump();
  }

  /**
   * Stops taking jobs; jobs already asked for finish (each within its
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

  /**
   * Like close, without waiting for jobs: queued ones are rejected, and a job
   * in hand ends as its child's death (spec.died), for the child is killed.
   */
  closeNow(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error(this.spec.closedMessage));
    for (const c of [...this.children]) this.stop(c);
    return this.close();
  }

  get stats(): ChildPoolStats {
    return {
      size: this.spec.size,
      children: this.children.length,
      busy: this.children.filter((c) => c.state === 'busy').length,
      queued: this.queue.length,
      pids: this.children.flatMap((c) => (c.proc.pid === undefined ? [] : [c.proc.pid])),
      forked: this.forked,
    };
  }

  /** Hands queued jobs to idle children, and starts children for the rest (up to size). */
  private pump(): void {
    for (;;) {
      const job = this.queue[0];
      const idle = job && this.children.find((c) => c.state === 'idle');
      if (!job || !idle) break;
      this.queue.shift();
      this.dispatch(idle, job);
    }
    const starting = this.children.filter((c) => c.state === 'starting').length;
    for (let wanted = this.queue.length - starting; wanted > 0 && this.children.length < this.spec.size; wanted--)
      this.spawn();
    this.updateRefs();
    this.checkDrained();
  }

  private spawn(): void {
    const script = this.script!;
    let proc: ChildProcess;
    try {
      proc = this.spec.fork(script);
    } catch (err) {
      this.startFailed(err instanceof Error ? err.message : String(err));
      return;
    }
    this.forked++;
    let markExited!: () => void;
    const child: Child<Input, Result> = {
      proc,
      state: 'starting',
      jobsDone: 0,
      stderrTail: '',
      referenced: true,
      exited: new Promise<void>((resolve) => (markExited = resolve)),
      seq: this.forked,
    };
    this.children.push(child);
    this.alive.add(child);
    const startTimeoutMs = this.spec.startTimeoutMs;
    child.startTimer = setTimeout(() => {
      if (child.state !== 'starting') return;
      this.stop(child);
      this.startFailed(`not ready within ${startTimeoutMs} ms`);
    }, startTimeoutMs);
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
    onExitWithStderr(proc, (code, signal) => onDeath(code, signal, `exited with ${signal ?? code}`));
  }

  private dispatch(child: Child<Input, Result>, job: Job<Input, Result>): void {
    child.state = 'busy';
    child.job = job;
    job.timer = setTimeout(() => {
      if (child.job !== job) return;
      child.job = undefined;
      job.resolve(this.spec.timedOut(job.timeoutMs));
      this.stop(child);
      this.pump();
    }, job.timeoutMs);
    const message = this.spec.request(job.id, job.input!, job.timeoutMs) as Record<string, unknown>;
    if (!this.spec.retryAfterKill || this.onFreshChild(job, child)) job.input = undefined;
    void this.send(child, job, message);
  }

  /**
   * Sends a job's message. Bytes over BULK_PART_BYTES go ahead of it in parts, one a turn of the event loop, and
   * the child puts them back (lib/isolation/child-serve.ts): serialising a 20 MB mail for the IPC channel in one
   * message held the desk's loop for some 65 ms.
   */
  private async send(child: Child<Input, Result>, job: Job<Input, Result>, message: Record<string, unknown>) {
    // A send error means the child died or cannot be talked to: stop it; the job is classified as a death.
    const sent = (err: Error | null): void => {
      if (err && child.job === job) this.stop(child);
    };
    const field = Object.keys(message).find((k) => {
      const v = message[k];
      return v instanceof Uint8Array && v.byteLength > BULK_PART_BYTES;
    });
    if (field === undefined) {
      child.proc.send(message, sent);
      return;
    }
    const bytes = message[field] as Uint8Array;
    const parts = Math.ceil(bytes.byteLength / BULK_PART_BYTES);
    for (let i = 0; i < parts; i++) {
      if (child.job !== job || child.state === 'dead') return; // timed out or died meanwhile
      child.proc.send({ id: job.id, bulkPart: bytes.subarray(i * BULK_PART_BYTES, (i + 1) * BULK_PART_BYTES) }, sent);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (child.job !== job || child.state === 'dead') return;
    child.proc.send({ ...message, [field]: undefined, bulk: { field, parts } }, sent);
  }

  private onMessage(child: Child<Input, Result>, msg: unknown): void {
    if (child.state === 'dead') return;
    const m = (typeof msg === 'object' && msg !== null ? msg : {}) as {
      ready?: unknown;
      id?: unknown;
      result?: unknown;
      retiring?: unknown;
      heapMb?: unknown;
    };
    if (m.ready === true) {
      if (child.state !== 'starting') return;
      clearTimeout(child.startTimer);
      child.state = 'idle';
      this.startFailures = 0;
      this.pump();
      return;
    }
    const job = child.job;
    if (!job || m.id !== job.id) return; // not a reply to the job in hand
    clearTimeout(job.timer);
    child.job = undefined;
    child.jobsDone++;
    if (this.spec.isResult(m.result)) {
      job.resolve(m.result);
      // A retiring child exits after this reply (lib/isolation/child-serve.ts): the next job goes to a fresh one.
      if (m.retiring === true || child.jobsDone >= this.spec.maxJobsPerChild || this.grown(m.heapMb)) this.stop(child);
      else child.state = 'idle';
    } else {
      job.resolve(this.spec.badReply());
      this.stop(child);
    }
    this.pump();
  }

  private onDeath(child: Child<Input, Result>, code: number | null, signal: NodeJS.Signals | null, why: string): void {
    const wasStarting = child.state === 'starting';
    this.forget(child);
    const job = child.job;
    if (job) {
      child.job = undefined;
      clearTimeout(job.timer);
      const killedFromOutside = signal === 'SIGKILL' && this.spec.retryAfterKill && !this.closed;
      if (killedFromOutside && !this.onFreshChild(job, child) && job.input !== undefined) {
        job.killedWhenForked ??= this.forked;
        this.queue.unshift(job);
      } else if (killedFromOutside) {
        job.input = undefined;
        job.reject(errors.E_PARSE_CHILD_KILLED(child.proc.pid ?? 'a child'));
      } else {
        job.input = undefined;
        job.resolve(this.spec.died(code, signal, child.stderrTail));
      }
    }
    if (wasStarting) this.startFailed(why);
    else this.pump();
  }

  /** Whether a child whose heap after a job is `heapMb` has grown past maxHeapMb. */
  private grown(heapMb: unknown): boolean {
    return this.spec.maxHeapMb !== undefined && typeof heapMb === 'number' && heapMb > this.spec.maxHeapMb;
  }

  /** A child died or could not be forked before it was ready; after a few in a row, queued jobs fail. */
  private startFailed(why: string): void {
    if (++this.startFailures >= MAX_START_FAILURES) {
      this.startFailures = 0;
      const err = new Error(`${this.spec.startFailedMessage}: ${why}`);
      for (const job of this.queue.splice(0)) job.reject(err);
    }
    this.pump();
  }

  /** Whether the job runs on a child forked after its first kill (so a kill there is a second kill). */
  private onFreshChild(job: Job<Input, Result>, child: Child<Input, Result>): boolean {
    return job.killedWhenForked !== undefined && child.seq > job.killedWhenForked;
  }

  /** Kills a child (it has no state worth a graceful stop) and takes it out of the pool at once. */
  private stop(child: Child<Input, Result>): void {
    this.forget(child);
    if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
  }

  private forget(child: Child<Input, Result>): void {
    if (child.state === 'dead') return;
    child.state = 'dead';
    clearTimeout(child.startTimer);
    const i = this.children.indexOf(child);
    if (i >= 0) this.children.splice(i, 1);
  }

  /** A child keeps the process alive only while it has work: busy, or starting for a queued job. */
  private updateRefs(): void {
    for (const c of this.children)
      this.setReferenced(c, c.state === 'busy' || (c.state === 'starting' && this.queue.length > 0));
  }

  private setReferenced(child: Child<Input, Result>, on: boolean): void {
    if (child.referenced === on) return;
    child.referenced = on;
    const handles: Refable[] = [
      child.proc,
      child.proc.channel as unknown as Refable | null | undefined,
      child.proc.stderr as Refable | null,
    ].filter((h): h is Refable => !!h);
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
