/**
 * GET /login, POST /login, POST /logout. Every sign-in, failed sign-in,
 * lock and sign-out goes to the audit trail, with the client's address (as
 * the console sees it: a forwarded address only from a trusted proxy). Failed
 * sign-ins lock out the client that made them, not the account
 * (store/user-store.ts); the account's owner is mailed when that happens. A
 * new session id is issued at sign-in (no session fixation).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DeskContext } from '../workers/desk/context.js';
import { clientKey, LOCK_SECONDS, MAX_FAILED_SIGN_INS, UserStore } from '../store/user-store.js';
import { alertSignInAttack, isAttack } from '../workers/actions/sign-in-alert.js';
import { markSecureCookie } from './console-security.js';
import { renderLoginPage } from './pages.js';

/**
 * Sign-in requests one client may make a minute (store/user-store.ts locks a
 * client out of an account on its own after five failures). Counted per
 * client as sign-ins are: an IPv6 client by its /64.
 */
const LOGIN_RATE = { max: 30, timeWindow: '1 minute', keyGenerator: (req: { ip: string }) => clientKey(req.ip) };

const loginBody = z.object({
  email: z.string().trim().max(320),
  password: z.string().max(4096),
  next: z.string().max(2000).optional(),
});

/** Only a path on this console: never `//evil.example` or a full URL. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}

export function registerLoginRoutes(app: FastifyInstance, ctx: DeskContext): void {
  const users = new UserStore(ctx.redis, ctx.keys);
  const audit = (actor: string, action: string, reason: string) =>
    ctx.audit.append({ at: ctx.clock.now().toISOString(), actor, action, reason });

  app.get('/login', { config: { rateLimit: LOGIN_RATE } }, async (req, reply) => {
    const next = safeNext((req.query as { next?: string }).next);
    if (req.account) return reply.redirect(next, 303);
    return reply.type('text/html; charset=utf-8').send(renderLoginPage({ csrf: reply.generateCsrf(), next }));
  });

  app.post('/login', { config: { rateLimit: LOGIN_RATE } }, async (req, reply) => {
    const b = loginBody.safeParse(req.body);
    if (!b.success)
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(
          renderLoginPage({ csrf: reply.generateCsrf(), next: '/', error: 'Give your e-mail address and password.' }),
        );
    const email = b.data.email.toLowerCase();
    const r = await users.signIn(email, b.data.password, clientKey(req.ip));
    if (!r.ok) {
      const who = email.slice(0, 200);
      await audit(
        'console',
        'console-sign-in-failed',
        `${who} from ${req.ip}${r.reason === 'locked' ? ' (this client is locked out of the account)' : ''}`,
      );
      if (r.lockedNow)
        await audit(
          'console',
          'console-sign-in-locked',
          `${who}: the client ${req.ip} is locked out of it for ${LOCK_SECONDS / 60} minutes after ${MAX_FAILED_SIGN_INS} failed sign-ins from it`,
        );
      // Told by mail: only an account's own address, and only an account that exists.
      if (r.account && r.reason !== 'locked' && isAttack(r)) {
        await alertSignInAttack(ctx, users, {
          email,
          client: req.ip,
          lockedNow: r.lockedNow,
          accountFailures: r.accountFailures,
        });
      }
      const error =
        r.reason === 'locked' || r.lockedNow
          ? `Too many failed sign-ins from here: this address is locked out of the account for ${LOCK_SECONDS / 60} minutes.`
          : 'That e-mail address and password do not match an account.';
      return reply
        .code(r.reason === 'locked' || r.lockedNow ? 423 : 401)
        .type('text/html; charset=utf-8')
        .send(renderLoginPage({ csrf: reply.generateCsrf(), next: safeNext(b.data.next), error, email: who }));
    }
    await req.session.regenerate();
    markSecureCookie(req, ctx);
    req.session.user = r.user.email;
    req.session.role = r.user.role;
    req.session.generation = r.user.generation;
    await audit(`${r.user.role}:${r.user.email}`, 'console-signed-in', `from ${req.ip}`);
    return reply.redirect(safeNext(b.data.next), 303);
  });

  app.post('/logout', async (req, reply) => {
    const who = req.account;
    await req.session.destroy();
    if (who) await audit(`${who.role}:${who.email}`, 'console-signed-out', 'signed out');
    return reply.redirect('/login', 303);
  });
}
