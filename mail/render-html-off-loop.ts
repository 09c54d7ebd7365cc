/**
 * The HTML part of the desk's mail, rendered off the event loop
 * (render-html-thread.ts): issue 10's goal is a desk loop never blocked over
 * 100 ms, and MJML's load, the template compiles and juice's CSS inlining
 * held it for hundreds of milliseconds. One worker thread, started when the
 * notify worker starts and unreferenced when idle so it never keeps a process
 * alive; a thread that dies is replaced by the next request and its requests
 * fail (the notify job retries).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MailKind } from './mail-kinds.js';
import type { HtmlReply, HtmlRequest } from './render-html-thread.js';

type Pending = { resolve: (html: string) => void; reject: (e: Error) => void };

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

/** The compiled thread script: next to this file under dist/, or dist/ when run from the sources (tests). */
function threadScript(): URL {
  for (const url of [new URL('./render-html-thread.js', import.meta.url), new URL('../dist/mail/render-html-thread.js', import.meta.url)]) {
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error('mail/render-html-thread.js not found; run npm run build');
}

function thread(): Worker {
  if (worker) return worker;
  const w = new Worker(threadScript(), { resourceLimits: { maxOldGenerationSizeMb: 256 } });
  w.on('message', (m: HtmlReply) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (typeof m.html === 'string') p.resolve(m.html);
    else p.reject(new Error(`rendering a mail's HTML failed: ${m.error ?? 'no result'}`));
    if (pending.size === 0) w.unref();
  });
  const fail = (why: string) => {
    if (worker === w) worker = undefined;
    for (const [id, p] of pending) { pending.delete(id); p.reject(new Error(`the HTML renderer stopped: ${why}`)); }
  };
  w.on('error', (e) => fail(e.message));
  w.on('exit', (code) => fail(`exit ${code}`));
  w.unref();
  worker = w;
  return w;
}

function ask(req: HtmlRequest): Promise<string> {
  const w = thread();
  return new Promise<string>((resolve, reject) => {
    pending.set(req.id, { resolve, reject });
    w.ref();
    w.postMessage(req);
  });
}

/** Loads MJML and juice and compiles the layout and every kind's HTML template in the thread, ahead of the first mail. */
export async function prepareHtmlOffLoop(): Promise<void> {
  await ask({ id: nextId++, prepare: true });
}

/** The mail's HTML part (render-html.ts renderHtml), made in the thread. */
export function renderHtmlOffLoop(kind: MailKind, data: Record<string, unknown>, subject: string, caseNumber?: string): Promise<string> {
  return ask({ id: nextId++, kind, data, subject, ...(caseNumber ? { caseNumber } : {}) });
}

/** Ends the thread (a process that drains). */
export async function closeHtmlRenderer(): Promise<void> {
  const w = worker;
  worker = undefined;
  if (w) await w.terminate();
}
