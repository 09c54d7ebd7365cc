/**
 * The signed-in account's own settings: the time zone the console shows its
 * times in (IANA; unset: UTC).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DeskContext } from '../workers/desk/context.js';
import { UserStore } from '../store/user-store.js';
import { badRequest, frameOf, html, who, zoneOf } from './case-routes.js';
import { renderAccountPage } from './pages.js';
import { isZone } from './rep-words.js';

/** Every IANA zone the runtime knows, UTC first. */
const ZONES: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];

export function registerAccountRoutes(app: FastifyInstance, ctx: DeskContext): void {
  const users = new UserStore(ctx.redis, ctx.keys);
  app.get('/account', async (req, reply) =>
    html(
      reply,
      200,
      renderAccountPage(frameOf(req, reply), {
        zones: ZONES,
        chosen: who(req).timeZone ?? '',
        shown: zoneOf(req),
        saved: (req.query as { saved?: string }).saved === '1',
      }),
    ),
  );

  const body = z.object({ time_zone: z.string().max(100) });
  app.post('/account', async (req, reply) => {
    const b = body.safeParse(req.body);
    const zone = b.success ? b.data.time_zone.trim() : undefined;
    if (zone === undefined || (zone !== '' && !isZone(zone)))
      return badRequest(req, reply, '/account', 'choose a time zone from the list');
    const u = who(req);
    await users.setTimeZone(u.email, zone || undefined);
    await ctx.audit.append({
      at: ctx.clock.now().toISOString(),
      actor: `${u.role}:${u.email}`,
      action: 'console-time-zone',
      reason: zone || 'not set (UTC)',
    });
    return reply.redirect('/account?saved=1', 303);
  });
}
