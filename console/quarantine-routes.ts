/** The quarantine page: release or discard a held message, with a reason, as the signed-in rep. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DeskContext } from '../workers/desk/context.js';
import { discardQuarantined, releaseQuarantined } from '../workers/actions/quarantine.js';
import { act, badRequest, frameOf, html, who } from './case-routes.js';
import { renderQuarantinePage } from './pages.js';
import { INLINE_TEXTS, mailText } from './received-mail.js';

export function registerQuarantineRoutes(app: FastifyInstance, ctx: DeskContext): void {
  app.get('/quarantine', async (req, reply) => {
    const held = await ctx.messages.quarantined();
    // A rep vouches for a sender only having read what it sent: the newest messages' text is on the page.
    const messages = await Promise.all(
      held.map(async (m, i) => ({ ...m, text: i < INLINE_TEXTS ? await mailText(ctx, m.id) : undefined })),
    );
    return html(reply, 200, renderQuarantinePage(frameOf(req, reply), messages));
  });

  const params = z.object({ id: z.string().regex(/^[A-Za-z0-9._:-]{1,200}$/), action: z.enum(['release', 'discard']) });
  const body = z.object({ reason: z.string().trim().min(1).max(2000) });
  app.post('/quarantine/:id/:action', async (req, reply) => {
    const p = params.safeParse(req.params);
    if (!p.success) return reply.code(400).type('text/plain').send('bad message id');
    const b = body.safeParse(req.body);
    if (!b.success) return badRequest(req, reply, '/quarantine', 'give a reason (it goes to the audit trail)');
    const rep = who(req).email;
    return act(req, reply, '/quarantine', () =>
      p.data.action === 'release'
        ? releaseQuarantined(ctx, p.data.id, rep, b.data.reason)
        : discardQuarantined(ctx, p.data.id, rep, b.data.reason),
    );
  });
}
