/**
 * What reps see and do: the case list, a case page, the JSON of one case,
 * and the actions on a case, each with a reason for the audit trail and
 * recorded as the signed-in account (never an address typed in a form).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DeskContext } from '../workers/desk/context.js';
import { CODES, errors, isDeskError, type DeskError } from '../lib/errors.js';
import type { ConsoleUser } from '../store/user-store.js';
import { CASE_STATES } from '../domain/case-states.js';
import { reactivateMachine, recordKeyReturn } from '../workers/actions/activation.js';
import {
  approveCase,
  messagePartner,
  noteCase,
  rejectCase,
  releaseCase,
  takeCase,
  type AsDrawn,
} from '../workers/actions/rep.js';
import type { AuditEntry } from '../store/audit-log.js';
import { isFormId } from '../forms/specs.js';
import { DONE, type Done } from './case-view.js';
import { listCases } from './case-listing.js';
import { caseView, deadlineView } from './case-view.js';
import { renderCasePage, renderCasesPage, renderChangedPage, renderNotice, type PageFrame } from './pages.js';
import { repQuestions } from './rep-questions.js';
import { WAITS, WAITS_WORDS, waitsFor } from './waits-for.js';
import { listCounts } from './list-counts.js';

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
  then: string = back,
  onError?: (e: DeskError) => Promise<FastifyReply> | undefined,
): Promise<FastifyReply> {
  try {
    await fn();
  } catch (e) {
    if (!isDeskError(e)) throw e;
    const own = onError?.(e);
    if (own) return own;
    return html(
      reply,
      e.httpStatus,
      renderNotice(frameOf(req, reply), { heading: 'Not done', message: e.message, back }),
    );
  }
  return reply.redirect(then, 303);
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
  const blank = z.literal('').transform(() => undefined);
  const listQuery = z.object({
    state: z.enum(CASE_STATES).optional().or(blank),
    q: z.string().max(200).optional(),
    page: z.coerce.number().int().min(1).max(100_000).optional(),
    waits: z.enum(WAITS).optional().or(blank),
    owner: z.enum(['mine', 'none']).optional().or(blank),
    program: z
      .string()
      .max(100)
      .refine((p) => ctx.programs.list.some((x) => x.id === p))
      .optional()
      .or(blank),
    sort: z.literal('time-left').optional().or(blank),
  });

  app.get('/', async (req, reply) => {
    const parsed = listQuery.safeParse(req.query);
    const q = parsed.success ? parsed.data : {};
    const me = who(req).email;
    const owner = q.owner === 'mine' ? me : q.owner;
    const res = await listCases(ctx, {
      state: q.state,
      search: q.q,
      waits: q.waits,
      owner,
      program: q.program,
      sort: q.sort,
      page: q.page ?? 1,
      perPage: PER_PAGE,
    });
    const now = ctx.clock.now();
    const counts = await listCounts(ctx, me);
    const params = (over: Record<string, string | undefined>) => {
      const all: Record<string, string | undefined> = {
        q: q.q,
        state: q.state,
        waits: q.waits,
        owner: q.owner,
        program: q.program,
        sort: q.sort,
        ...over,
      };
      return `/?${new URLSearchParams(Object.entries(all).filter((e): e is [string, string] => !!e[1]))}`;
    };
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
        heldCount: counts.waits.rep,
        filters: [
          ...WAITS.map((w) => ({
            id: `waits-${w}`,
            words: `Waiting for ${WAITS_WORDS[w]}`,
            count: counts.waits[w],
            href: params({ waits: q.waits === w ? undefined : w, page: undefined }),
            on: q.waits === w,
          })),
          {
            id: 'owner-mine',
            words: 'Mine',
            count: counts.mine,
            href: params({ owner: q.owner === 'mine' ? undefined : 'mine', page: undefined }),
            on: q.owner === 'mine',
          },
          {
            id: 'owner-none',
            words: 'Nobody has taken',
            count: counts.unowned,
            href: params({ owner: q.owner === 'none' ? undefined : 'none', page: undefined }),
            on: q.owner === 'none',
          },
        ],
        programs: ctx.programs.list.map((p) => ({ id: p.id, title: p.title, on: p.id === q.program })),
        waits: q.waits,
        owner: q.owner,
        sort: q.sort,
        prev: res.page > 1 ? params({ page: String(res.page - 1) }) : undefined,
        next: res.page < res.pages ? params({ page: String(res.page + 1) }) : undefined,
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
    const done = DONE.find((d) => d === (req.query as { done?: unknown }).done);
    return html(reply, 200, renderCasePage(frameOf(req, reply), await caseView(ctx, c, who(req).email, done)));
  });

  app.get('/api/cases/:n', async (req, reply) => {
    const p = caseNumber.safeParse(req.params);
    const c = p.success ? await ctx.cases.get(p.data.n) : undefined;
    if (c) return c.doc;
    const e = errors.E_CASE_NOT_FOUND(p.success ? p.data.n : String((req.params as { n?: unknown }).n ?? ''));
    return reply.code(e.httpStatus).send({ code: e.code });
  });

  /**
   * A rep's action on a case, from a form of the case page. The form carries
   * the case's version when the page was drawn (`version`) and the last audit
   * entry it showed (`seen`): a case changed since is refused, and the rep is
   * shown what changed. Acting on a case another rep has taken needs the
   * form's `override` box ticked, and says so in the trail.
   */
  const drawnBody = z.object({
    version: z.coerce.number().int().min(0).optional(),
    seen: z
      .string()
      .regex(/^\d{1,20}-\d{1,20}$/)
      .optional()
      .or(z.literal('').transform(() => undefined)),
    override: z.literal('1').optional(),
  });
  type Handler = (
    req: FastifyRequest,
    reply: FastifyReply,
    c: { n: string; body: Record<string, unknown>; drawn: AsDrawn; rep: string; othersNote: string },
  ) => FastifyReply | Promise<FastifyReply>;

  const onCase = (path: string, handler: Handler, opts: { ownerCheck?: boolean } = {}) => {
    app.post(`/cases/:n/${path}`, async (req, reply) => {
      const p = caseNumber.safeParse(req.params);
      if (!p.success) return reply.code(400).type('text/plain').send('bad case number');
      const n = p.data.n;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const d = drawnBody.safeParse(body);
      if (!d.success)
        return badRequest(req, reply, `/cases/${n}`, 'the form is not one this console drew; reload the case');
      const stored = await ctx.cases.get(n);
      if (!stored) {
        const e = errors.E_CASE_NOT_FOUND(n);
        return html(
          reply,
          e.httpStatus,
          renderNotice(frameOf(req, reply), { heading: 'Not done', message: e.message, back: '/' }),
        );
      }
      const rep = who(req).email;
      if (d.data.version !== undefined && d.data.version !== stored.version)
        return changed(
          req,
          reply,
          n,
          d.data.seen,
          errors.E_CASE_CHANGED(n, String(d.data.version), String(stored.version)),
        );
      const owner = stored.doc.owner?.email;
      const others = owner !== undefined && owner !== rep;
      if (others && opts.ownerCheck !== false && !d.data.override)
        return html(
          reply,
          409,
          renderNotice(frameOf(req, reply), {
            heading: 'Not done: another rep has this case',
            message: `${owner} has taken case ${n}. Talk to them, or tick "act anyway" on the case page to act on it yourself.`,
            back: `/cases/${n}`,
          }),
        );
      return handler(req, reply, {
        n,
        body,
        drawn: { version: d.data.version },
        rep,
        othersNote: others ? ` (while ${owner} had the case)` : '',
      });
    });
  };

  /** "The case changed, here is what changed": the trail since the page was drawn, nothing applied. */
  async function changed(req: FastifyRequest, reply: FastifyReply, n: string, seen: string | undefined, e: DeskError) {
    const since: AuditEntry[] = [];
    for await (const a of ctx.audit.read(n)) if (!seen || afterId(a.id, seen)) since.push(a);
    return html(
      reply,
      e.httpStatus,
      renderChangedPage(frameOf(req, reply), { number: n, message: e.message, since: since.slice(-50) }),
    );
  }

  /** Runs the action, then back to the case page, which says what was done and what the case waits for now. */
  const done = (req: FastifyRequest, reply: FastifyReply, n: string, what: Done, fn: () => Promise<unknown>) =>
    act(req, reply, `/cases/${n}`, fn, `/cases/${n}?done=${what}`, (e) =>
      // Changed between the check above and the commit: the same answer, from the page's own `seen`.
      e.code === CODES.E_CASE_CHANGED ? changed(req, reply, n, drawnBody.safeParse(req.body).data?.seen, e) : undefined,
    );
  const reasonOf = (body: Record<string, unknown>) => reasonBody.safeParse(body);

  onCase('approve', (req, reply, { n, body, drawn, rep, othersNote }) => {
    const b = reasonOf(body);
    if (!b.success) return badRequest(req, reply, `/cases/${n}`, 'give a reason (it goes to the audit trail)');
    return done(req, reply, n, 'approved', () => approveCase(ctx, n, rep, b.data.reason + othersNote, drawn));
  });
  onCase('reject', (req, reply, { n, body, drawn, rep, othersNote }) => {
    const b = reasonOf(body);
    if (!b.success) return badRequest(req, reply, `/cases/${n}`, 'give a reason (it goes to the audit trail)');
    return done(req, reply, n, 'rejected', () => rejectCase(ctx, n, rep, b.data.reason + othersNote, drawn));
  });

  // A held case's questions (SWP-4: which FK/SID was meant): the program decides
  // from the answers whether the case is released or rejected.
  onCase('choose', async (req, reply, { n, body, drawn, rep, othersNote }) => {
    const back = `/cases/${n}`;
    const b = reasonOf(body);
    if (!b.success) return badRequest(req, reply, back, 'give a reason (it goes to the audit trail)');
    const reason = b.data.reason + othersNote;
    const c = await ctx.cases.get(n);
    const questions = c ? await repQuestions(ctx, c.doc) : [];
    const rules = c ? ctx.programs.get(c.doc.program).repQuestions : undefined;
    if (!c || !rules || questions.length === 0)
      return badRequest(req, reply, back, `case ${n} has no question for a rep to answer`);
    const answers: Record<string, string> = {};
    for (const q of questions) {
      const v = body[`choice_${q.id}`];
      if (typeof v !== 'string' || !q.options.includes(v))
        return badRequest(req, reply, back, `choose one of ${q.options.join(', ')} for the ${q.label}`);
      answers[q.id] = v;
    }
    const d = rules.decide(questions, answers);
    return done(req, reply, n, d.decision === 'approve' ? 'approved' : 'rejected', () =>
      d.decision === 'approve'
        ? approveCase(ctx, n, rep, `${d.words}: ${reason}`, drawn)
        : rejectCase(ctx, n, rep, `${d.words}. (${reason})`, drawn),
    );
  });

  // SWP-6: the return of a physical key, which stops its bill.
  onCase('key-returned', async (req, reply, { n, body, othersNote }) => {
    const b = reasonBody.extend({ fk: z.string().trim().min(1).max(200) }).safeParse(body);
    if (!b.success) return badRequest(req, reply, `/cases/${n}`, 'name the key and give a reason');
    return done(req, reply, n, 'key-returned', () =>
      recordKeyReturn(ctx, b.data.fk, who(req).email, b.data.reason + othersNote),
    );
  });

  // AUD-2: the old machine's reactivation, which lets the waiting move complete.
  onCase('reactivated', async (req, reply, { n, body, othersNote }) => {
    const b = reasonOf(body);
    if (!b.success) return badRequest(req, reply, `/cases/${n}`, 'give a reason (it goes to the audit trail)');
    const c = await ctx.cases.get(n);
    const machine =
      c && c.doc.state === 'approved'
        ? ctx.programs.get(c.doc.program).waitsForReactivation(c.doc.plan?.extra)
        : undefined;
    if (typeof machine !== 'string')
      return badRequest(req, reply, `/cases/${n}`, `case ${n} waits for no machine's reactivation`);
    const u = who(req);
    return done(req, reply, n, 'reactivated', () =>
      reactivateMachine(ctx, machine, { actor: `rep:${u.email}`, reason: b.data.reason + othersNote }),
    );
  });

  // "I have this one": taking a case another rep has is allowed (the trail says from whom).
  onCase('take', (req, reply, { n, drawn, rep }) => done(req, reply, n, 'taken', () => takeCase(ctx, n, rep, drawn)), {
    ownerCheck: false,
  });
  onCase('release', (req, reply, { n, drawn, rep }) =>
    done(req, reply, n, 'released', () => releaseCase(ctx, n, rep, drawn)),
  );

  // An internal note: in the audit trail and on the case page, never mailed.
  const noteBody = z.object({ note: z.string().trim().min(1).max(4000) });
  onCase(
    'note',
    (req, reply, { n, body, drawn, rep }) => {
      const b = noteBody.safeParse(body);
      if (!b.success) return badRequest(req, reply, `/cases/${n}`, 'write the note');
      return done(req, reply, n, 'noted', () => noteCase(ctx, n, rep, b.data.note, drawn));
    },
    { ownerCheck: false },
  );

  // A message to the partner's contact of the case (mail kind `rep-message`), with forms pre-filled.
  const messageBody = z.object({
    message: z.string().trim().min(1).max(8000),
    forms: z.union([z.string(), z.array(z.string())]).optional(),
    wait: z.literal('1').optional(),
  });
  onCase('message', (req, reply, { n, body, drawn, rep }) => {
    const b = messageBody.safeParse(body);
    if (!b.success) return badRequest(req, reply, `/cases/${n}`, 'write the message to the partner');
    const forms = [b.data.forms ?? []].flat();
    if (!forms.every(isFormId)) return badRequest(req, reply, `/cases/${n}`, 'attach only forms the case page offers');
    const wait = b.data.wait === '1';
    return done(req, reply, n, wait ? 'asked' : 'messaged', () =>
      messagePartner(ctx, n, rep, { text: b.data.message, forms, waitForPartner: wait }, drawn),
    );
  });
}

/** Stream ids compare as (ms, seq). */
function afterId(id: string, seen: string): boolean {
  const [a = 0, b = 0] = id.split('-').map(Number);
  const [c = 0, d = 0] = seen.split('-').map(Number);
  return a > c || (a === c && b > d);
}
