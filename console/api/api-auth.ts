/**
 * Bearer tokens for the API: a route names the scope it needs in its config;
 * no token or an unknown one answers 401, a token without the scope 403.
 * The console's session, Origin and CSRF guards skip these routes (they carry
 * no cookie), recognised by the matched route, never by the raw path.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors, isDeskError } from '../../lib/errors.js';
import type { Scope, TokenStore } from '../../store/token-store.js';
import type { Clock } from '../../domain/clock.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on every API route: the scope it needs, or null for an open one (the OpenAPI document). */
    apiScope?: Scope | null;
  }
  interface FastifyRequest {
    apiToken: { name: string; scopes: Scope[] } | null;
  }
}

/** True for a route of the API, whose requests are judged by their token, not by a console session. */
export const isApiRoute = (req: FastifyRequest): boolean => req.routeOptions.config?.apiScope !== undefined;

export function sendError(reply: FastifyReply, e: unknown): FastifyReply {
  if (isDeskError(e)) {
    const message = e.message.startsWith(`${e.code}: `) ? e.message.slice(e.code.length + 2) : e.message;
    return reply
      .code(e.httpStatus)
      .send({ code: e.code, message, ...(e.details.length > 0 ? { details: e.details } : {}) });
  }
  throw e;
}

export function tokenGuard(tokens: TokenStore, clock: Clock) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const scope = req.routeOptions.config?.apiScope;
    if (scope === undefined || scope === null) return undefined;
    const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = given ? await tokens.verify(given, clock.now()) : undefined;
    if (!token) {
      reply.header('WWW-Authenticate', 'Bearer realm="licensedesk api"');
      return sendError(reply, errors.E_TOKEN_MISSING());
    }
    if (!token.scopes.includes(scope)) return sendError(reply, errors.E_TOKEN_SCOPE(scope));
    req.apiToken = token;
    return undefined;
  };
}
