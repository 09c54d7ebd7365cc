/**
 * Received mail for reps: a case's mail and a quarantined message, read in
 * full (text, attachments), and their PDFs opened inline. A file is named in
 * its link by the mail's position on its case (or its quarantine id) and the
 * file's position in the mail: never a path or a file name. Card forms are
 * not served here (403 with a note).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DeskContext } from '../workers/desk/context.js';
import { frameOf, html } from './case-routes.js';
import { renderNotice, renderReceivedPage } from './pages.js';
import {
  caseFile,
  caseMail,
  quarantinedFile,
  quarantinedMail,
  type FileAnswer,
  type ReceivedMail,
} from './received-mail.js';

/** A position: decimal digits only (no sign, no hex, no path). */
const position = z
  .string()
  .regex(/^\d{1,4}$/)
  .transform(Number);
const caseParams = z.object({ n: z.string().regex(/^\d{4,10}$/), i: position });
const fileParams = caseParams.extend({ k: position });
const qParams = z.object({ id: z.string().regex(/^[A-Za-z0-9._:-]{1,200}$/) });
const qFileParams = qParams.extend({ k: position });

/** An ASCII file name for the header (the real name, UTF-8, in `filename*`). */
const asciiName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120) || 'attachment.pdf';

function serve(req: FastifyRequest, reply: FastifyReply, a: FileAnswer, back: string): FastifyReply {
  reply.header('Cache-Control', 'no-store').header('X-Content-Type-Options', 'nosniff');
  if (!a.ok)
    return html(reply, a.status, renderNotice(frameOf(req, reply), { heading: 'Not shown', message: a.why, back }));
  return (
    reply
      .code(200)
      .type('application/pdf')
      .header(
        'Content-Disposition',
        `inline; filename="${asciiName(a.name)}"; filename*=UTF-8''${encodeURIComponent(a.name.slice(0, 200))}`,
      )
      // A PDF can carry script: it runs in a sandbox with no origin of ours, and nothing it loads.
      .header('Content-Security-Policy', "sandbox; default-src 'none'; object-src 'none'")
      .send(a.bytes)
  );
}

/** One received mail's page (case or quarantine), or the notice that there is no such mail; never cached. */
function mailPage(
  req: FastifyRequest,
  reply: FastifyReply,
  mail: ReceivedMail | undefined,
  where: { back: string; backWords: string; fileBase: string; missing: { heading: string; message: string } },
) {
  reply.header('Cache-Control', 'no-store');
  const frame = frameOf(req, reply);
  if (!mail) return html(reply, 404, renderNotice(frame, { ...where.missing, back: where.back }));
  return html(
    reply,
    200,
    renderReceivedPage(frame, { mail, back: where.back, backWords: where.backWords, fileBase: where.fileBase }),
  );
}

export function registerMessageRoutes(app: FastifyInstance, ctx: DeskContext): void {
  app.get('/cases/:n/mail/:i', async (req, reply) => {
    const p = caseParams.safeParse(req.params);
    if (!p.success) return reply.code(400).type('text/plain').send('bad mail reference');
    return mailPage(req, reply, await caseMail(ctx, p.data.n, p.data.i), {
      back: `/cases/${p.data.n}`,
      backWords: `Case ${p.data.n}`,
      fileBase: `/cases/${p.data.n}/mail/${p.data.i}/files`,
      missing: { heading: 'No such mail', message: `case ${p.data.n} has no such mail` },
    });
  });
  app.get('/cases/:n/mail/:i/files/:k', async (req, reply) => {
    const p = fileParams.safeParse(req.params);
    if (!p.success) return reply.code(400).type('text/plain').send('bad file reference');
    return serve(req, reply, await caseFile(ctx, p.data.n, p.data.i, p.data.k), `/cases/${p.data.n}/mail/${p.data.i}`);
  });

  app.get('/quarantine/:id/mail', async (req, reply) => {
    const p = qParams.safeParse(req.params);
    if (!p.success) return reply.code(400).type('text/plain').send('bad message id');
    return mailPage(req, reply, await quarantinedMail(ctx, p.data.id), {
      back: '/quarantine',
      backWords: 'Quarantine',
      fileBase: `/quarantine/${encodeURIComponent(p.data.id)}/files`,
      missing: { heading: 'Not in quarantine', message: 'no such message in quarantine' },
    });
  });
  app.get('/quarantine/:id/files/:k', async (req, reply) => {
    const p = qFileParams.safeParse(req.params);
    if (!p.success) return reply.code(400).type('text/plain').send('bad file reference');
    return serve(
      req,
      reply,
      await quarantinedFile(ctx, p.data.id, p.data.k),
      `/quarantine/${encodeURIComponent(p.data.id)}/mail`,
    );
  });
}
