/**
 * The forms the desk mails (pre-filled replies, blank forms) made off the
 * event loop: pdf-lib held the desk's loop for 260 ms while an incomplete
 * reply's forms were filled (issue 10: the loop never blocks over 100 ms).
 * One worker thread, started on first use and unreferenced when idle so it
 * never keeps a process alive; a thread that dies is replaced and its
 * requests fail (the notify job retries).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FillRequest } from './fill-thread.js';
import type { FormId } from './types.js';

type Pending = { resolve: (b: Uint8Array) => void; reject: (e: Error) => void };

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

/** The compiled thread script: next to this file under dist/, or dist/ when run from the sources (tests). */
function threadScript(): URL {
  for (const url of [new URL('./fill-thread.js', import.meta.url), new URL('../dist/forms/fill-thread.js', import.meta.url)]) {
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error('forms/fill-thread.js not found; run npm run build');
}

function thread(): Worker {
  if (worker) return worker;
  const w = new Worker(threadScript(), { resourceLimits: { maxOldGenerationSizeMb: 256 } });
  w.on('message', (m: { id: number; bytes?: Uint8Array; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.bytes) p.resolve(new Uint8Array(m.bytes));
    else p.reject(new Error(`filling a form failed: ${m.error ?? 'no result'}`));
    if (pending.size === 0) w.unref();
  });
  const fail = (why: string) => {
    if (worker === w) worker = undefined;
    for (const [id, p] of pending) { pending.delete(id); p.reject(new Error(`the form filler stopped: ${why}`)); }
  };
  w.on('error', (e) => fail(e.message));
  w.on('exit', (code) => fail(`exit ${code}`));
  w.unref();
  worker = w;
  return w;
}

function ask(formId: FormId, values?: Record<string, string | boolean>): Promise<Uint8Array> {
  const w = thread();
  const id = nextId++;
  return new Promise<Uint8Array>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, formId, values } satisfies FillRequest);
  });
}

/** `formId` filled with `values` (FORMS.md field names). */
export const fillFormOffLoop = (formId: FormId, values: Record<string, string | boolean>): Promise<Uint8Array> => ask(formId, values);

/** The blank `formId`. */
export const blankFormOffLoop = (formId: FormId): Promise<Uint8Array> => ask(formId);

/** Ends the thread (a process that drains). */
export async function closeFormFiller(): Promise<void> {
  const w = worker;
  worker = undefined;
  if (w) await w.terminate();
}
