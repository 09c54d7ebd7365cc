/**
 * The rep's keying page for forms on paper (DSK-9): every value the desk read
 * from paper beside the image of its box, the uncertain ones marked, each for
 * the rep to confirm or correct. What the rep keys is typed as the form's
 * typing types a fillable form and recorded in the audit trail as keyed by
 * that rep; the case is then reviewed on the confirmed values. The box images
 * come from the case's sealed crops, never cached (`no-store`); card fields
 * have none (DSK-5). CSRF and the Origin check are the console's, as on every
 * other form.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DeskContext } from '../workers/desk/context.js';
import type { PaperRecord } from '../domain/case-doc.js';
import { FORM_SPECS, isFormId } from '../forms/specs.js';
import type { FieldValue, FormId } from '../forms/types.js';
import { PaperCrops } from '../store/paper-crops.js';
import { keyPaperForm } from '../workers/actions/paper-keying.js';
import { PAPER_CONFIDENCE } from '../workflows/paper-checks.js';
import { badRequest, frameOf, html, who } from './case-routes.js';
import { renderNotice, renderPaperPage } from './pages.js';
import { isDeskError } from '../lib/errors.js';

const params = z.object({ n: z.string().regex(/^\d{4,10}$/), form: z.string().regex(/^[a-z-]{3,40}$/) });
const cropParams = params.extend({ field: z.string().regex(/^[a-z][a-z0-9_]{0,40}$/) });
const caseParam = z.object({ n: z.string().regex(/^\d{4,10}$/) });

/** `license-transfer` → `license-transfer/v1` (a form id has a slash, a URL segment cannot). */
const formIdOf = (name: string): FormId | undefined => Object.values(FORM_SPECS).find((s) => s.name === name)?.id;

export interface PaperFieldView {
  name: string;
  label: string;
  kind: string;
  value: string;
  checked: boolean;
  options?: Array<{ value: string; selected: boolean }>;
  confidence: string;
  uncertain: boolean;
  secret: boolean;
  crop?: string;
  problem?: string;
}

export interface PaperFormView {
  formId: string;
  name: string;
  title: string;
  file: string;
  page: number;
  source: string;
  fax: boolean;
  signed?: boolean;
  confirmedBy?: string;
  confirmedAt?: string;
  fields: PaperFieldView[];
}

function formView(
  n: string,
  rec: PaperRecord,
  problems: Record<string, string> = {},
  keyed?: Record<string, FieldValue>,
): PaperFormView | undefined {
  if (!isFormId(rec.formId)) return undefined;
  const spec = FORM_SPECS[rec.formId];
  const fields: PaperFieldView[] = [];
  for (const f of spec.fields) {
    if (f.name === 'form_id') continue;
    const read = rec.fields.find((x) => x.name === f.name);
    const raw = keyed && f.name in keyed ? keyed[f.name] : read?.value;
    const value = typeof raw === 'string' ? raw : '';
    const confidence = read?.confidence ?? 0;
    fields.push({
      name: f.name,
      label: f.label,
      kind: f.kind,
      value,
      checked: raw === true,
      ...(f.options ? { options: f.options.map((o) => ({ value: o, selected: o === value })) } : {}),
      confidence: `${Math.round(confidence * 100)} %`,
      uncertain: confidence < PAPER_CONFIDENCE,
      secret: !!f.sensitive,
      ...(f.sensitive || rec.source !== 'image' ? {} : { crop: `/cases/${n}/paper/${spec.name}/${f.name}.png` }),
      ...(problems[f.name] ? { problem: problems[f.name] } : {}),
    });
  }
  return {
    formId: rec.formId,
    name: spec.name,
    title: spec.title,
    file: rec.file,
    page: rec.page,
    source: rec.source === 'image' ? 'page image (OCR)' : 'PDF text',
    fax: !!rec.fax,
    ...(rec.signed !== undefined ? { signed: rec.signed } : {}),
    ...(rec.confirmedBy ? { confirmedBy: rec.confirmedBy, confirmedAt: rec.confirmedAt } : {}),
    fields,
  };
}

export function registerPaperRoutes(app: FastifyInstance, ctx: DeskContext): void {
  const crops = new PaperCrops(ctx.redis, ctx.keys, ctx.box);

  const showPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    n: string,
    code = 200,
    failed?: { formId: string; problems: Record<string, string>; keyed: Record<string, FieldValue> },
  ): Promise<FastifyReply> => {
    const c = await ctx.cases.get(n);
    if (!c || !(c.doc.paper ?? []).length)
      return reply.code(404).type('text/plain').send('no forms on paper on this case');
    const forms = (c.doc.paper ?? [])
      .map((rec) =>
        failed && failed.formId === rec.formId && !rec.confirmedBy
          ? formView(n, rec, failed.problems, failed.keyed)
          : formView(n, rec),
      )
      .filter((v): v is PaperFormView => !!v);
    reply.header('cache-control', 'no-store');
    return html(
      reply,
      code,
      renderPaperPage(frameOf(req, reply), { doc: c.doc, forms, held: c.doc.state === 'held', failed: !!failed }),
    );
  };

  app.get('/cases/:n/paper', async (req, reply) => {
    const p = caseParam.safeParse(req.params);
    if (!p.success) return reply.code(400).type('text/plain').send('bad case number');
    return showPage(req, reply, p.data.n);
  });

  app.get('/cases/:n/paper/:form/:field.png', async (req, reply) => {
    const p = cropParams.safeParse(req.params);
    const formId = p.success ? formIdOf(p.data.form) : undefined;
    if (!p.success || !formId) return reply.code(404).type('text/plain').send('no such box');
    const spec = FORM_SPECS[formId].fields.find((f) => f.name === p.data.field);
    // Card fields' boxes are never cut out, whoever asks (DSK-5).
    if (!spec || spec.sensitive) return reply.code(404).type('text/plain').send('no such box');
    const png = await crops.get(p.data.n, formId, p.data.field);
    if (!png) return reply.code(404).type('text/plain').send('no such box');
    return reply
      .code(200)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .type('image/png')
      .send(png);
  });

  app.post('/cases/:n/paper/:form', async (req, reply) => {
    const p = params.safeParse(req.params);
    const formId = p.success ? formIdOf(p.data.form) : undefined;
    if (!p.success || !formId) return reply.code(400).type('text/plain').send('bad case or form');
    const n = p.data.n;
    const back = `/cases/${n}/paper`;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const keyed: Record<string, FieldValue> = {};
    for (const f of FORM_SPECS[formId].fields) {
      if (f.name === 'form_id' || f.sensitive) continue;
      const v = body[`f_${f.name}`];
      if (f.kind === 'checkbox') keyed[f.name] = v === 'on';
      else if (typeof v === 'string' && v.length <= 4000) keyed[f.name] = v.replace(/\r\n?/g, '\n').trim();
      else if (v !== undefined) return badRequest(req, reply, back, `the value of ${f.name} is not text`);
    }
    let problems: Array<{ field: string; message: string }>;
    try {
      problems = (await keyPaperForm(ctx, n, formId, keyed, who(req).email)).problems;
    } catch (e) {
      if (!isDeskError(e)) throw e;
      return html(
        reply,
        e.httpStatus,
        renderNotice(frameOf(req, reply), { heading: 'Not done', message: e.message, back }),
      );
    }
    if (problems.length === 0) return reply.redirect(back, 303);
    // The same page with the form's own words for what does not pass, and what the rep typed kept.
    return showPage(req, reply, n, 422, {
      formId,
      problems: Object.fromEntries(problems.map((x) => [x.field, x.message])),
      keyed,
    });
  });
}
