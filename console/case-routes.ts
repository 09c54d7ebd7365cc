/**
 * What reps see and do: the case list, a case page, the JSON of one case,
 * and the actions on a case, each with a reason for the audit trail and
 * recorded as the signed-in account (never an address typed in a form).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DeskContext } from '../workers/desk/context.js';
import { errors, isDeskError } from '../lib/errors.js';
import type { ConsoleUser } from '../store/user-store.js';
import { CASE_STATES } from '../domain/case-states.js';
import { reactivateMachine, recordKeyReturn } from '../workers/actions/activation.js';
import { approveCase, rejectCase } from '../workers/actions/rep.js';
import { listCases } from './case-listing.js';
import { caseView, deadlineView } from './case-view.js';
import { renderCasePage, renderCasesPage, renderNotice, type PageFrame } from './pages.js';
import { repQuestions } from './rep-questions.js';
import { WAITS_WORDS, waitsFor } from './waits-for.js';

const PER_PAGE = 25;
const caseNumber = z.object({ n: z.string().regex(/^\d{4,10}$/) });
const reasonBody = z.object({ reason: z.string().trim().min(1).max(2000) });

/**
 * The zone a page's times are shown in: the account's own (its Account page), else UTC. The
 * console runs no script (its CSP says `script-src 'none'`), so a browser's offset is never sent.
 */
export const zoneOf = (req: FastifyRequest): string => req.account?.timeZone ?? 'UTC';

export const frameOf = (req: FastifyRequest, reply: FastifyReply): PageFrame => ({
  account: req.account,
  csrf: reply.generateCsrf(),
  zone: zoneOf(req),
  now: req.deskNow || new Date(0).toISOString(),
});
export const html = (reply: FastifyReply, code: number, body: string) =>
  reply.code(code).type('text/html; charset=utf-8').send(body);

/** The signed-in account (the guard let the request through only with one). */
export const who = (req: FastifyRequest): ConsoleUser => req.account!;

/** Runs an action; a desk error (wrong state, unknown key …) is shown to the rep with the catalogue's status. */
export async function act(
  req: FastifyRequest,
  reply: FastifyReply,
  back: string,
  fn: () => Promise<unknown>,
): Promise<FastifyReply> {
  try {
    await fn();
  } catch (e) {
    if (!isDeskError(e)) throw e;
    return html(
      reply,
      e.httpStatus,
      renderNotice(frameOf(req, reply), { heading: 'Not done', message: e.message, back }),
    );
  }
  return reply.redirect(back, 303);
}

/** A request the rep can correct (E_USAGE): the page says what is missing. */
export function badRequest(req: FastifyRequest, reply: FastifyReply, back: string, what: string): FastifyReply {
  const e = errors.E_USAGE(what);
  return html(
    reply,
    e.httpStatus,
    renderNotice(frameOf(req, reply), { heading: 'Not done', message: e.message, back }),
  );
}

export function registerCaseRoutes(app: FastifyInstance, ctx: DeskContext): void {
  const listQuery = z.object({
    state: z
      .enum(CASE_STATES)
      .optional()
      .or(z.literal('').transform(() => undefined)),
    q: z.string().max(200).optional(),
    page: z.coerce.number().int().min(1).max(100_000).optional(),
  });

  app.get('/', async (req, reply) => {
    const parsed = listQuery.safeParse(req.query);
    const q = parsed.success ? parsed.data : {};
    const res = await listCases(ctx, { state: q.state, search: q.q, page: q.page ?? 1, perPage: PER_PAGE });
    const now = ctx.clock.now();
    const heldCount = (await ctx.cases.countByState()).held;
    const link = (p: number) =>
      `/?${new URLSearchParams({ ...(q.q ? { q: q.q } : {}), ...(q.state ? { state: q.state } : {}), page: String(p) })}`;
    return html(
      reply,
      200,
      renderCasesPage(frameOf(req, reply), {
        rows: res.cases.map((doc) => {
          const program = ctx.programs.get(doc.program);
          return { doc, waits: WAITS_WORDS[waitsFor(program, doc).waits], deadline: deadlineView(program, doc, now) };
        }),
        total: res.total,
        page: res.page,
        pages: res.pages,
        search: q.q,
        state: q.state,
        heldCount,
        prev: res.page > 1 ? link(res.page - 1) : undefined,
        next: res.page < res.pages ? link(res.page + 1) : undefined,
      }),
    );
  });

  app.get('/cases/:n', async (req, reply) => {
    const p = caseNumber.safeParse(req.params);
    if (!p.success) return reply.code(400).type('text/plain').send('bad case number');
    const c = await ctx.cases.get(p.data.n);
    if (!c) {
      const e = errors.E_CASE_NOT_FOUND(p.data.n);
      return html(
        reply,
        e.httpStatus,
        renderNotice(frameOf(req, reply), { heading: 'No such case', message: e.message, back: '/' }),
      );
    }
    return html(reply, 200, renderCasePage(frameOf(req, reply), await caseView(ctx, c.doc)));
  });

  app.get('/api/cases/:n', async (req, reply) => {
    const p = caseNumber.safeParse(req.params);
    const c = p.success ? await ctx.cases.get(p.data.n) : undefined;
    if (c) return c.doc;
    const e = errors.E_CASE_NOT_FOUND(p.success ? p.data.n : String((req.params as { n?: unknown }).n ?? ''));
    return reply.code(e.httpStatus).send({ code: e.code });
  });

  const onCase = (
    path: string,
    handler: (req: FastifyRequest, reply: FastifyReply, n: string, reason: string) => Promise<FastifyReply>,
  ) => {
    app.post(`/cases/:n/${path}`, async (req, reply) => {
      const p = caseNumber.safeParse(req.params);
      if (!p.success) return reply.code(400).type('text/plain').send('bad case number');
      const b = reasonBody.safeParse(req.body);
      if (!b.success) return badRequest(req, reply, `/cases/${p.data.n}`, 'give a reason (it goes to the audit trail)');
      return handler(req, reply, p.data.n, b.data.reason);
    });
  };

  onCase('approve', (req, reply, n, reason) =>
    act(req, reply, `/cases/${n}`, () => approveCase(ctx, n, who(req).email, reason)),
  );
  onCase('reject', (req, reply, n, reason) =>
    act(req, reply, `/cases/${n}`, () => rejectCase(ctx, n, who(req).email, reason)),
  );

  // A held case's questions (SWP-4: which FK/SID was meant): the program decides
  // from the answers whether the case is released or rejected.
  onCase('choose', async (req, reply, n, reason) => {
    const back = `/cases/${n}`;
    const c = await ctx.cases.get(n);
    const questions = c ? await repQuestions(ctx, c.doc) : [];
    const rules = c ? ctx.programs.get(c.doc.program).repQuestions : undefined;
    if (!c || !rules || questions.length === 0)
      return badRequest(req, reply, back, `case ${n} has no question for a rep to answer`);
    const body = req.body as Record<string, unknown>;
    const answers: Record<string, string> = {};
    for (const q of questions) {
      const v = body[`choice_${q.id}`];
      if (typeof v !== 'string' || !q.options.includes(v))
        return badRequest(req, reply, back, `choose one of ${q.options.join(', ')} for the ${q.label}`);
      answers[q.id] = v;
    }
    const d = rules.decide(questions, answers);
    const rep = who(req).email;
    return act(req, reply, back, () =>
      d.decision === 'approve'
        ? approveCase(ctx, n, rep, `${d.words}: ${reason}`)
        : rejectCase(ctx, n, rep, `${d.words}. (${reason})`),
    );
  });

  // SWP-6: the return of a physical key, which stops its bill.
  app.post('/cases/:n/key-returned', async (req, reply) => {
    const p = caseNumber.safeParse(req.params);
    const b = reasonBody.extend({ fk: z.string().trim().min(1).max(200) }).safeParse(req.body);
    if (!p.success) return reply.code(400).type('text/plain').send('bad case number');
    if (!b.success) return badRequest(req, reply, `/cases/${p.data.n}`, 'name the key and give a reason');
    return act(req, reply, `/cases/${p.data.n}`, () => recordKeyReturn(ctx, b.data.fk, who(req).email, b.data.reason));
  });

  // AUD-2: the old machine's reactivation, which lets the waiting move complete.
  onCase('reactivated', async (req, reply, n, reason) => {
    const c = await ctx.cases.get(n);
    const machine =
      c && c.doc.state === 'approved'
        ? ctx.programs.get(c.doc.program).waitsForReactivation(c.doc.plan?.extra)
        : undefined;
    if (typeof machine !== 'string')
      return badRequest(req, reply, `/cases/${n}`, `case ${n} waits for no machine's reactivation`);
    const u = who(req);
    return act(req, reply, `/cases/${n}`, () => reactivateMachine(ctx, machine, { actor: `rep:${u.email}`, reason }));
  });
}
