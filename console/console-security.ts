/**
 * Who may reach the console and how: the Host check (DNS rebinding), server
 * side sessions, CSRF tokens plus a same-origin Origin on every state
 * changing request, security headers, and the session/role guard in front of
 * every route but /login, /health and the stylesheet. Fastify's own plugins
 * do the work; this file only wires them to the desk.
 *
 * The guards decide by the route the router matched, never by the raw
 * request target: the router decodes `%71ueues`, takes an absolute-form
 * target (`GET http://host/queues/…`) by its path, and so on, so a check of
 * the raw text would let another spelling past. The queue dashboard has a
 * guard of its own in its own scope (`guardQueues`).
 */
import { isApiRoute } from './api/api-auth.js';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySession from '@fastify/session';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DeskContext } from '../workers/desk/context.js';
import { UserStore, type ConsoleRole, type ConsoleUser } from '../store/user-store.js';
import { RedisSessionStore } from './session-store.js';
import { maySeeCardData } from '../domain/card-access.js';

declare module 'fastify' {
  interface Session {
    user?: string;
    role?: ConsoleRole;
    generation?: number;
  }
  interface FastifyRequest {
    account: ConsoleUser | null;
    /** The desk's clock when the request arrived (ISO): pages say "in 5 h" against it. */
    deskNow: string;
  }
}

export const SESSION_COOKIE = 'ld_session';
/** Paths that answer without a session. */
const OPEN = new Set([
  '/login',
  '/health',
  '/console.css',
  '/favicon.ico',
  // The partner's pages (console/open-routes.ts, console/status-routes.ts): no account, their own checks.
  '/open',
  '/partner.css',
  '/status/:token',
  '/status/:token/forms/:file',
]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const pathOf = (req: FastifyRequest): string => req.url.split('?')[0] ?? '/';
/**
 * The route the router matched (its pattern, e.g. `/cases/:n`), or, when none
 * did (a 404), the raw path: a path with no route answers nothing of its own.
 */
const routeOf = (req: FastifyRequest): string => req.routeOptions.url ?? pathOf(req);
export const isQueuesPath = (path: string): boolean => path === '/queues' || path.startsWith('/queues/');
const isApiPath = (path: string): boolean => path.startsWith('/api/') || path.startsWith('/queues/api/');
/** The billing role's pages (console/fees-routes.ts). */
export const isBillingPath = (path: string): boolean => path === '/fees' || path.startsWith('/fees/');
/** What a billing account reaches besides its pages. */
const BILLING_ALSO = new Set(['/logout']);
/** Methods the read-only queue dashboard answers. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * The console's origin, e.g. `http://127.0.0.1:8080`: LICENSEDESK_CONSOLE_ORIGIN,
 * else the loopback address on the port the console listens on.
 */
export function consoleOrigin(ctx: DeskContext, app: FastifyInstance): string {
  if (ctx.config.consoleOrigin) return ctx.config.consoleOrigin;
  const addr = app.server.address();
  const port = addr && typeof addr === 'object' ? addr.port : ctx.config.httpPort;
  return `http://127.0.0.1:${port}`;
}

/**
 * Fastify's `rewriteUrl`: an absolute-form request target (`GET
 * http://host/queues/… HTTP/1.1`, which RFC 9112 lets a client send to a
 * server) is routed by its path and query, as the origin-form target with the
 * same path would be, so every guard and plugin sees one spelling of it. The
 * target's host is checked against the console's by the Host check
 * (`targetHost`).
 */
export function originForm(req: { url?: string }): string {
  const url = req.url ?? '/';
  if (url.startsWith('/') || url === '*') return url;
  const parsed = absoluteTarget(url);
  return parsed ? `${parsed.pathname}${parsed.search}` : url;
}

function absoluteTarget(url: string): URL | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** The host an absolute-form target named, if the request had one. */
const targetHost = (req: FastifyRequest): string | undefined => absoluteTarget(req.originalUrl)?.host;

function refuse(reply: FastifyReply, code: number, message: string): FastifyReply {
  return reply.code(code).type('text/plain; charset=utf-8').send(message);
}

/**
 * The session cookie is Secure when the console is reached over TLS, directly
 * or through a proxy that says so (X-Forwarded-Proto: https).
 * Call again after the session is regenerated.
 */
export function markSecureCookie(req: FastifyRequest, ctx: DeskContext): void {
  if (req.session?.cookie) req.session.cookie.secure = isTls(req, ctx);
}

/**
 * Over TLS here, or through a trusted proxy (LICENSEDESK_TRUSTED_PROXIES) that
 * says so. Not merely because the public origin is https: the session plugin
 * sets no Secure cookie on a request it sees as plain.
 */
export const isTls = (req: FastifyRequest, _ctx: DeskContext): boolean => req.protocol === 'https';

export async function registerConsoleSecurity(app: FastifyInstance, ctx: DeskContext): Promise<void> {
  const users = new UserStore(ctx.redis, ctx.keys);

  // DNS rebinding: a page on attacker.example that resolves to this host reaches
  // the console with its own Host header. The raw header is compared (not
  // X-Forwarded-Host, which a same-origin script on the rebound page could set):
  // a reverse proxy must pass the public Host on.
  app.addHook('onRequest', async (req, reply) => {
    const want = new URL(consoleOrigin(ctx, app)).host.toLowerCase();
    const target = targetHost(req);
    if ((req.headers.host ?? '').toLowerCase() !== want || (target !== undefined && target.toLowerCase() !== want)) {
      return refuse(reply, 421, `this console answers only for ${want}`);
    }
    return undefined;
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    // Not `no-referrer`: with it a browser sends `Origin: null` on same-origin
    // form posts, and the Origin check below could not tell them from an attack.
    referrerPolicy: { policy: 'same-origin' },
    // HSTS only makes sense over TLS, which the reverse proxy sets up.
    hsts: false,
  });
  // bull-board's own page needs its inline styles and scripts from /queues/static.
  app.addHook('onRoute', (route) => {
    if (!isQueuesPath(route.url ?? route.path)) return;
    route.config = {
      ...(route.config as object),
      helmet: {
        contentSecurityPolicy: {
          useDefaults: false,
          directives: {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'"],
            styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
            fontSrc: ["'self'", 'https://fonts.gstatic.com'],
            imgSrc: ["'self'", 'data:'],
            connectSrc: ["'self'"],
            formAction: ["'self'"],
            frameAncestors: ["'none'"],
            baseUri: ["'self'"],
            objectSrc: ["'none'"],
          },
        },
      },
    } as typeof route.config;
  });

  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    // The session cookie's signing key, derived from the desk's secret.
    secret: ctx.box.sessionSecret(),
    cookieName: SESSION_COOKIE,
    // Not `secure: 'auto'`: over plain HTTP the plugin then downgrades SameSite to
    // Lax. Secure is set per request instead (markSecureCookie).
    cookie: { httpOnly: true, sameSite: 'strict', secure: false, path: '/' },
    store: new RedisSessionStore(ctx.redis, ctx.keys),
    saveUninitialized: false,
    rolling: true,
  });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session' });
  // Counted in Redis, so every console process of the desk shares one limit.
  await app.register(fastifyRateLimit, { global: false, redis: ctx.redis, nameSpace: `${ctx.keys.tag}:rate:console:` });

  app.decorateRequest('account', null);
  app.decorateRequest('deskNow', '');

  // The guard: a signed-in account still present (and with the same password
  // generation) in the account store, else /login or 401.
  app.addHook('onRequest', async (req, reply) => {
    // The API's routes carry a bearer token, no cookie: their own guard judges them (console/api/api-auth.ts).
    if (isApiRoute(req)) return undefined;
    req.deskNow = ctx.clock.now().toISOString();
    const path = routeOf(req);
    const s = req.session;
    if (s?.user) {
      const u = await users.get(s.user);
      if (u && u.generation === s.generation) req.account = u;
      // A removed account or a changed password ends the session (a fresh, empty one takes its place).
      else await s.regenerate();
    }
    markSecureCookie(req, ctx);
    if (OPEN.has(path) || path === '/metrics') return undefined;
    if (!req.account) {
      if (isApiPath(path) || !SAFE_METHODS.has(req.method)) return refuse(reply, 401, 'sign in first');
      return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    }
    // guardQueues decides for bull-board's own routes; this refuses a rep the raw spelling too.
    if ((isQueuesPath(path) || isQueuesPath(pathOf(req))) && req.account.role !== 'operator')
      return refuse(reply, 403, 'the queues are for operators');
    // DSK-11: the fees (and the card they are charged to) are billing's only; billing sees nothing else.
    const billingPage = isBillingPath(path) || isBillingPath(pathOf(req));
    if (billingPage && !maySeeCardData(req.account.role)) return refuse(reply, 403, 'the fees are for billing');
    if (!billingPage && maySeeCardData(req.account.role) && !BILLING_ALSO.has(path)) {
      if (path === '/' && SAFE_METHODS.has(req.method)) return reply.redirect('/fees', 303);
      return refuse(reply, 403, 'a billing account sees the fees only');
    }
    return undefined;
  });

  // Cross-site requests: the Origin must be this console's, on every state-changing request.
  app.addHook('onRequest', async (req, reply) => {
    if (SAFE_METHODS.has(req.method) || isApiRoute(req)) return undefined;
    if (req.headers.origin !== consoleOrigin(ctx, app)) return refuse(reply, 403, 'cross-site request refused');
    return undefined;
  });
  // And the CSRF token (form field `_csrf`), checked once the body is parsed.
  app.addHook('preHandler', (req, reply, done) => {
    if (SAFE_METHODS.has(req.method) || isApiRoute(req)) {
      done();
      return;
    }
    app.csrfProtection(req, reply, done);
  });
}

/**
 * The guard of the queue dashboard's scope: a hook on every route bull-board
 * registers there, so it runs for whichever spelling of a URL the router
 * matched to one of them. The console's guard has run before it (a signed-in
 * account, or a redirect to /login). Operators only, and reads only: the
 * dashboard is mounted read only (`readOnlyMode`), and a write is refused here
 * before bull-board sees it; a job is promoted with `licensedesk jobs promote`.
 */
export function guardQueues(scope: FastifyInstance): void {
  scope.addHook('onRequest', async (req, reply) => {
    if (!req.account) return refuse(reply, 401, 'sign in first');
    if (req.account.role !== 'operator') return refuse(reply, 403, 'the queues are for operators');
    if (!READ_METHODS.has(req.method)) {
      return refuse(
        reply.header('Allow', 'GET, HEAD'),
        405,
        'the queue dashboard is read only; promote a delayed job with `licensedesk jobs promote ID`',
      );
    }
    return undefined;
  });
}
