/**
 * Worker-thread entry for mail/render-html-client.ts: renders the HTML part
 * of the desk's mail (render-html.ts). MJML (the layout), juice with cheerio
 * and postcss (CSS inlining) and the handlebars compiles load and run here,
 * never on the desk's event loop: loading mjml alone held the loop for over
 * 400 ms and compiling every kind's template for over 300 ms, and their
 * modules would add tens of MB to the heap every major GC of the desk marks.
 * Input is the desk's own templates and job data it already holds, so a
 * thread (with its own heap limit) is enough isolation.
 */
import { parentPort } from 'node:worker_threads';
import type { MailKind } from './mail-kinds.js';
import { prepareHtml, renderHtml } from './render-html.js';

export type HtmlRequest =
  | { id: number; prepare: true }
  | { id: number; kind: MailKind; data: Record<string, unknown>; subject: string; caseNumber?: string };

export type HtmlReply = { id: number; html?: string; error?: string };

parentPort?.on('message', (req: HtmlRequest) => {
  const work =
    'prepare' in req ? prepareHtml().then(() => '') : renderHtml(req.kind, req.data, req.subject, req.caseNumber);
  work.then(
    (html) => parentPort?.postMessage({ id: req.id, html } satisfies HtmlReply),
    (err: unknown) =>
      parentPort?.postMessage({
        id: req.id,
        error: err instanceof Error ? err.message : String(err),
      } satisfies HtmlReply),
  );
});
