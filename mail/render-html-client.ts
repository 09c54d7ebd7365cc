/**
 * The HTML part of the desk's mail, rendered off the event loop
 * (render-html-thread.ts): the goal is a desk loop never blocked over
 * 100 ms, and the template compiles held it for hundreds of milliseconds. One worker thread, started when the
 * notify worker starts and unreferenced when idle so it never keeps a process
 * alive; a thread that dies is replaced by the next request and its requests
 * fail (the notify job retries).
 */
import { OffLoopThread } from '../lib/isolation/off-loop-thread.js';
import type { MailKind } from './mail-kinds.js';
import type { HtmlReply, HtmlRequest } from './render-html-thread.js';

const renderer = new OffLoopThread<HtmlReply, string>({
  scripts: [
    new URL('./render-html-thread.js', import.meta.url),
    new URL('../dist/mail/render-html-thread.js', import.meta.url),
  ],
  name: 'HTML renderer',
  result: (m) =>
    typeof m.html === 'string' ? m.html : new Error(`rendering a mail's HTML failed: ${m.error ?? 'no result'}`),
});

/** A request without its id (the thread wrapper numbers it), kept per kind of request. */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;

const ask = (req: Unnumbered<HtmlRequest>): Promise<string> => renderer.ask(req);

/** Compiles the layout and every kind's HTML template in the thread, ahead of the first mail. */
export async function prepareHtmlOffLoop(): Promise<void> {
  await ask({ prepare: true });
}

/** The mail's HTML part (render-html.ts renderHtml), made in the thread. */
export function renderHtmlOffLoop(
  kind: MailKind,
  data: Record<string, unknown>,
  subject: string,
  caseNumber?: string,
): Promise<string> {
  return ask({ kind, data, subject, ...(caseNumber ? { caseNumber } : {}) });
}

/** Ends the thread (a process that drains). */
export const closeHtmlRenderer = (): Promise<void> => renderer.close();
