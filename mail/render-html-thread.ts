/**
 * Worker-thread entry for mail/render-html-client.ts: renders the HTML part
 * of the desk's mail (render-html.ts). The handlebars compiles of every
 * kind's templates run here, never on the desk's event loop: they held it
 * for over 300 ms. (MJML and juice no longer run at all: the build compiles
 * the layout and inlines the CSS, mail/build/compile-html.ts.)
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
