/**
 * The partner's status link, `GET /status/<token>` (no sign-in): the case's
 * page, or with `Accept: application/json` exactly
 * `{ number, state, deadlineAt, findings: [{ rule, outcome, message }] }`;
 * `GET /status/<token>/forms/<file>` one still-needed form, pre-filled (never
 * card data). Anything but a live link answers the same 404. Rate limited per
 * client; never cached, never indexed, never sent on as a Referer.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { DeskContext } from '../workers/desk/context.js';
import { caseStatus } from '../workers/actions/case-status.js';
import { clientKey } from '../store/user-store.js';
import { partnerCss, renderStatusPage } from './partner-pages.js';

/** Status requests one client may make a minute: a partner refreshing is far below it; a token guesser is not. */
const STATUS_RATE = { max: 60, timeWindow: '1 minute', keyGenerator: (req: { ip: string }) => clientKey(req.ip) };

const NOT_FOUND = 'Not found';

function privateHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('Cache-Control', 'no-store')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Robots-Tag', 'noindex, nofollow');
}

const notFound = (reply: FastifyReply) =>
  privateHeaders(reply).code(404).type('text/plain; charset=utf-8').send(NOT_FOUND);

/** JSON only when asked for it and not HTML: a browser's Accept (text/html first) gets the page. */
const wantsJson = (accept: string | undefined) =>
  !!accept && /application\/json/i.test(accept) && !/text\/html/i.test(accept);

export function registerStatusRoutes(app: FastifyInstance, ctx: DeskContext): void {
  app.get('/partner.css', async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('Cache-Control', 'max-age=300').send(partnerCss()),
  );

  app.get<{ Params: { token: string } }>(
    '/status/:token',
    { config: { rateLimit: STATUS_RATE } },
    async (req, reply) => {
      const token = req.params.token.slice(0, 1000);
      const s = await caseStatus(ctx, token);
      if (!s) return notFound(reply);
      privateHeaders(reply).header('Content-Language', s.locale.language).header('Vary', 'Accept');
      if (wantsJson(req.headers.accept)) {
        return reply.type('application/json; charset=utf-8').send({
          number: s.number,
          state: s.state,
          deadlineAt: s.deadlineAt,
          findings: s.findings.map((f) => ({ rule: f.rule, outcome: f.outcome, message: f.message })),
        });
      }
      return reply
        .type('text/html; charset=utf-8')
        .send(
          renderStatusPage(
            s,
            ctx.clock.now(),
            (file) => `/status/${encodeURIComponent(token)}/forms/${encodeURIComponent(file)}`,
          ),
        );
    },
  );

  app.get<{ Params: { token: string; file: string } }>(
    '/status/:token/forms/:file',
    { config: { rateLimit: STATUS_RATE } },
    async (req, reply) => {
      const s = await caseStatus(ctx, req.params.token.slice(0, 1000));
      if (!s) return notFound(reply);
      const wanted = (s.forms.data.replyForms as Array<{ fileName: string }> | undefined) ?? [];
      const index = wanted.findIndex((f) => f.fileName === req.params.file);
      if (index < 0) return notFound(reply);
      const file = (await s.forms.build())[index]!;
      return privateHeaders(reply)
        .type('application/pdf')
        .header('Content-Disposition', `attachment; filename="${file.filename}"`)
        .send(file.content);
    },
  );
}
