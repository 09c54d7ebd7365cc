/**
 * The partner's page to open a case (DSK-12), `GET /open` and `POST /open`,
 * no sign-in. The form has `email`, `system_key`, `software_only` and a CSRF
 * token; the console's Host, Origin and CSRF checks hold for it as for every
 * console form. `POST /open` answers the same page whatever was typed, so a
 * stranger learns nothing; only a registered contact of the system's partner
 * gets a case, by mail. Limited per client here and per address in
 * workers/actions/partner-open.ts (LICENSEDESK_OPEN_PER_HOUR each).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { languageFromAcceptLanguage, type Locale } from '../mail/i18n/locale.js';
import { clientKey } from '../store/user-store.js';
import { openForContact } from '../workers/actions/partner-open.js';
import type { DeskContext } from '../workers/desk/context.js';
import { renderOpenPage } from './partner-pages.js';

const openBody = z.object({
  email: z.string().trim().max(320).default(''),
  system_key: z.string().trim().max(100).default(''),
  software_only: z.string().max(10).optional(),
});

export function registerOpenRoutes(app: FastifyInstance, ctx: DeskContext): void {
  const perClient = {
    max: ctx.config.openPerHour,
    timeWindow: '1 hour',
    keyGenerator: (req: { ip: string }) => `open:${clientKey(req.ip)}`,
  };
  // The page may follow the browser's language: no partner is known before the form is sent.
  const localeOf = (accept: string | undefined): Locale => ({
    language: languageFromAcceptLanguage(accept),
    timeZone: 'UTC',
  });
  const send = (reply: import('fastify').FastifyReply, locale: Locale, html: string) =>
    reply
      .type('text/html; charset=utf-8')
      .header('Content-Language', locale.language)
      .header('Cache-Control', 'no-store')
      .header('Vary', 'Accept-Language')
      .send(html);

  app.get('/open', { config: { rateLimit: { ...perClient, max: 60, timeWindow: '1 minute' } } }, async (req, reply) => {
    const locale = localeOf(req.headers['accept-language']);
    return send(reply, locale, renderOpenPage(locale, { csrf: reply.generateCsrf() }));
  });

  app.post(
    '/open',
    {
      config: {
        rateLimit: {
          ...perClient,
          // Over the limit the same page says so (429): a flood from one client opens nothing.
          errorResponseBuilder: () => ({ statusCode: 429, limited: true, message: 'too many requests' }),
        },
      },
      errorHandler: (err, req, reply) => {
        const locale = localeOf(req.headers['accept-language']);
        const code = (err as { statusCode?: number }).statusCode ?? 500;
        return send(
          reply.code(code === 429 ? 429 : 400),
          locale,
          renderOpenPage(locale, { csrf: reply.generateCsrf(), limited: code === 429 }),
        );
      },
    },
    async (req, reply) => {
      const locale = localeOf(req.headers['accept-language']);
      const b = openBody.safeParse(req.body ?? {});
      if (b.success && b.data.email && b.data.system_key) {
        // Not awaited: the page comes back as fast for a stranger as for a contact whose case is being opened,
        // so its timing does not tell whether an address is registered.
        void openForContact(ctx, {
          email: b.data.email,
          systemKey: b.data.system_key,
          softwareOnly: b.data.software_only !== undefined,
        }).then(
          (outcome) => req.log.info({ outcome }, 'partner page: opening asked for'),
          (e: unknown) =>
            ctx.log.error({ err: e instanceof Error ? e.message : String(e) }, 'partner page: opening failed'),
        );
      }
      return send(reply, locale, renderOpenPage(locale, { csrf: reply.generateCsrf(), done: true }));
    },
  );
}
