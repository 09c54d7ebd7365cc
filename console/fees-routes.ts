/**
 * The billing role's pages (DSK-11): the Fees page (fees due by case, oldest
 * first, with the partner, the amounts and the card's last four), "reveal card
 * to charge", and billing's word on a case's fees (charged, declined, waived).
 * Only a billing account reaches them (console-security.ts refuses every other
 * role with 403, and refuses billing every other page).
 *
 * A reveal asks for the account's password again, checked as a sign-in is
 * (store/user-store.ts: the same argon2 check, the same per-client lock), is
 * limited per account, recorded in the audit trail (`card-revealed`: who,
 * when, which case, never the number), and answered with `Cache-Control:
 * no-store`. The number is in that one response only: the console logs no
 * request (its Fastify logger is off) and the form's password and the number
 * go into no error, log line or audit entry.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DeskContext } from '../workers/desk/context.js';
import { errors, isDeskError, type DeskError } from '../lib/errors.js';
import { formatMinor, sumMinor, toMinor } from '../lib/money.js';
import { clientKey, UserStore } from '../store/user-store.js';
import { FeeLedger } from '../store/fee-ledger.js';
import type { FeeEntry } from '../domain/fee-ledger.js';
import { recordBillingWord } from '../workers/actions/fees.js';
import { revealCard } from '../workers/actions/card-reveal.js';
import { act, badRequest, frameOf, html, who } from './case-routes.js';
import { page, renderNotice } from './pages.js';

/** Card reveals one billing account may make in REVEAL_WINDOW_SECONDS. */
export const MAX_REVEALS = 10;
export const REVEAL_WINDOW_SECONDS = 3600;

const caseParam = z.object({ n: z.string().regex(/^\d{4,10}$/) });
const wordParam = z.object({ n: z.string().regex(/^\d{4,10}$/), word: z.enum(['charged', 'declined', 'waived']) });
const wordBody = z.object({
  ref: z.string().trim().max(200).optional(),
  reason: z.string().trim().max(2000).optional(),
});
const revealBody = z.object({ password: z.string().max(4096) });

interface CaseFees {
  case: string;
  partnerId: string;
  state: string;
  assessedAt: string;
  card: string;
  total: string;
  currency: string;
  fees: FeeEntry[];
}

/** Due and declined entries grouped by case, the case with the oldest entry first. */
function byCase(entries: readonly FeeEntry[]): CaseFees[] {
  const out = new Map<string, CaseFees>();
  for (const e of entries) {
    const c = out.get(e.case) ?? {
      case: e.case,
      partnerId: e.partnerId,
      state: e.state,
      assessedAt: e.assessedAt,
      card: e.card?.last4 ?? '',
      total: '',
      currency: e.currency,
      fees: [],
    };
    c.fees.push(e);
    if (e.assessedAt < c.assessedAt) c.assessedAt = e.assessedAt;
    out.set(e.case, c);
  }
  const rows = [...out.values()].map((c) => ({
    ...c,
    total: formatMinor(sumMinor(c.fees.map((f) => toMinor(f.amount)))),
  }));
  return rows.sort((a, b) => a.assessedAt.localeCompare(b.assessedAt) || a.case.localeCompare(b.case));
}

const noStore = (reply: FastifyReply) =>
  reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').header('Expires', '0');

function refused(req: FastifyRequest, reply: FastifyReply, e: DeskError): FastifyReply {
  return html(
    noStore(reply),
    e.httpStatus,
    renderNotice(frameOf(req, reply), { heading: 'Not shown', message: e.message, back: '/fees' }),
  );
}

export function registerFeeRoutes(app: FastifyInstance, ctx: DeskContext): void {
  const ledger = new FeeLedger(ctx.redis, ctx.keys);
  const users = new UserStore(ctx.redis, ctx.keys);
  const audit = (actor: string, action: string, caseNumber: string, reason: string) =>
    ctx.audit.append({ at: ctx.clock.now().toISOString(), actor, action, case: caseNumber, reason });

  app.get('/fees', async (req, reply) => {
    const [due, declined] = await Promise.all([ledger.list({ state: 'due' }), ledger.list({ state: 'declined' })]);
    return html(
      noStore(reply),
      200,
      page('fees', 'Fees', frameOf(req, reply), { due: byCase(due), declined: byCase(declined) }),
    );
  });

  app.post('/fees/:n/reveal', async (req, reply) => {
    const p = caseParam.safeParse(req.params);
    if (!p.success) return reply.code(400).type('text/plain').send('bad case number');
    const b = revealBody.safeParse(req.body);
    if (!b.success) return badRequest(req, reply, '/fees', 'enter your password again');
    const account = who(req);
    const actor = `${account.role}:${account.email}`;
    // Per account, whatever the client: a stolen session cannot read the cards of every case.
    const countKey = ctx.keys.cardReveals(account.email);
    const [[, count]] = (await ctx.redis
      .multi()
      .incr(countKey)
      .expire(countKey, REVEAL_WINDOW_SECONDS, 'NX')
      .exec()) as [[unknown, number], unknown];
    if (count > MAX_REVEALS) {
      await audit(actor, 'card-reveal-refused', p.data.n, `over ${MAX_REVEALS} reveals in an hour`);
      return refused(req, reply, errors.E_CARD_REVEAL_LIMIT(account.email));
    }
    const signedIn = await users.signIn(account.email, b.data.password, clientKey(req.ip));
    if (!signedIn.ok || signedIn.user.email !== account.email) {
      await audit(actor, 'card-reveal-refused', p.data.n, `the password given again was not right (from ${req.ip})`);
      return refused(req, reply, errors.E_REAUTH());
    }
    try {
      const card = await revealCard(ctx, p.data.n);
      await audit(
        actor,
        'card-revealed',
        p.data.n,
        `card ending ${card.last4} shown to ${account.email} to charge it (from ${req.ip})`,
      );
      return html(
        noStore(reply),
        200,
        page('card-reveal', `Card of case ${card.caseNumber}`, frameOf(req, reply), { card }),
      );
    } catch (e) {
      if (!isDeskError(e)) throw e;
      return refused(req, reply, e);
    }
  });

  app.post('/fees/:n/:word', async (req, reply) => {
    const p = wordParam.safeParse(req.params);
    if (!p.success) return reply.code(404).type('text/plain').send('no such page');
    const b = wordBody.safeParse(req.body);
    if (!b.success) return badRequest(req, reply, '/fees', 'a reference or a reason is too long');
    const { word, n } = p.data;
    if (word === 'charged' && !b.data.ref)
      return badRequest(req, reply, '/fees', "give the payment terminal's reference");
    if (word !== 'charged' && !b.data.reason)
      return badRequest(req, reply, '/fees', 'give a reason (it goes to the audit trail)');
    const detail = word === 'charged' ? { ref: b.data.ref } : { reason: b.data.reason };
    return act(req, reply, '/fees', () => recordBillingWord(ctx, n, word, who(req).email, detail));
  });
}
