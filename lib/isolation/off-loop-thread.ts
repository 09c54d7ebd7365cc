/**
 * One worker thread that does work the desk's event loop must not (the
 * loop never blocks over 100 ms), under forms/form-fill-client.ts (pdf-lib)
 * and mail/render-html-client.ts (MJML, juice). Started on first use,
 * unreferenced when idle so it never keeps a process alive; a thread that dies
 * is replaced by the next request and the requests in hand fail (the job that
 * asked retries). The thread answers each `{ id, ... }` with `{ id, ... }`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface OffLoopThreadSpec<Reply, Result> {
  /** Where the compiled thread script may be, in order (beside the caller under dist/, or dist/ from the sources). */
  scripts: URL[];
  /** Names the thread in errors: "the form filler stopped". */
  name: string;
  /** The result in a reply, or an Error saying why there is none. */
  result: (reply: Reply) => Result | Error;
}

type Pending<Result> = { resolve: (r: Result) => void; reject: (e: Error) => void };

export class OffLoopThread<Reply extends { id: number }, Result> {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending<Result>>();

  constructor(private readonly spec: OffLoopThreadSpec<Reply, Result>) {}

  /** Sends `{ id, ...request }` to the thread and resolves with its reply's result. */
  ask(request: object): Promise<Result> {
    const w = this.thread();
    const id = this.nextId++;
    return new Promise<Result>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ ...request, id });
    });
  }

  /** Ends the thread (a process that drains). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private script(): URL {
    for (const url of this.spec.scripts) if (existsSync(fileURLToPath(url))) return url;
    throw new Error(`${this.spec.scripts.map((u) => fileURLToPath(u)).join(' or ')} not found; run npm run build`);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.script(), { resourceLimits: { maxOldGenerationSizeMb: 256 } });
    w.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      const r = this.spec.result(m);
      if (r instanceof Error) p.reject(r);
      else p.resolve(r);
      if (this.pending.size === 0) w.unref();
    });
    const fail = (why: string) => {
      if (this.worker === w) this.worker = undefined;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new Error(`the ${this.spec.name} stopped: ${why}`));
      }
    };
    w.on('error', (e) => fail(e.message));
    w.on('exit', (code) => fail(`exit ${code}`));
    w.unref();
    this.worker = w;
    return w;
  }
}
