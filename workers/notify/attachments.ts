/**
 * The forms a mail carries, made by the notify worker when it
 * sends the mail: job data in Redis names the forms, never holds a PDF.
 * - `incomplete`: each form still missing or wrong (workflows/reply-forms.ts),
 *   pre-filled from the case, the registry and the partner's passed values
 *   (forms/prefill.ts); never card data.
 * - `reminder` (DSK-10): the same forms as the `incomplete` reply it follows.
 * - `case-opened` (DSK-12): every form of the case's program, pre-filled
 *   with the case number, partner, contact, end user and target system.
 * - `payment-declined`: the Credit Card Authorization, pre-filled the same way
 *   (never card data), for the partner to send again with another card.
 * - `rep-message`: the case's forms the rep chose to attach, filled the same way.
 * - `resend-instructions` to a known, authenticated partner contact (the
 *   intake worker decides and names the partners): the blank forms of those
 *   partners' programs.
 */
import { blankFormOffLoop, fillFormOffLoop } from '../../forms/form-fill-client.js';
import { cardFieldsOf, prefillValues, replyFormFileName, type DeskKnown } from '../../forms/prefill.js';
import { formSpec, isFormId } from '../../forms/specs.js';
import { FORM_IDS, type FieldValue, type FormId } from '../../forms/types.js';
import type { DeskContext } from '../desk/context.js';
import type { RegistrySnapshot } from '../../domain/registry-model.js';
import { newCaseDoc, type CaseDoc } from '../../domain/case-doc.js';
import type { ReplyForm } from '../../workflows/reply-forms.js';
import type { MailJob } from '../desk/queues.js';

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: 'application/pdf';
}

/** What the templates are told about the attachments, and how to make them once the mail is going out. */
export interface PlannedAttachments {
  data: Record<string, unknown>;
  build(): Promise<MailAttachment[]>;
}

const NONE: PlannedAttachments = { data: {}, build: async () => [] };

export async function planAttachments(ctx: DeskContext, m: MailJob): Promise<PlannedAttachments> {
  if ((m.kind === 'incomplete' || m.kind === 'reminder' || m.kind === 'rep-message') && m.caseNumber)
    return replyForms(ctx, m.caseNumber, asReplyForms(m.data.replyForms));
  if (m.kind === 'case-opened' && m.caseNumber) return openedCaseForms(ctx, m.caseNumber, m.to[0]);
  // DSK-11: the card was declined; a card form to send again, pre-filled with all but the card's details.
  if (m.kind === 'payment-declined' && m.caseNumber)
    return replyForms(ctx, m.caseNumber, [{ formId: 'card-authorization/v1', failed: [] }]);
  if (m.kind === 'resend-instructions' && Array.isArray(m.data.blankFormsFor)) {
    return blankForms(
      ctx,
      m.data.blankFormsFor.filter((p): p is string => typeof p === 'string'),
    );
  }
  return NONE;
}

function asReplyForms(v: unknown): ReplyForm[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((r: unknown) => {
    const o = r as { formId?: unknown; failed?: unknown };
    if (typeof o?.formId !== 'string' || !isFormId(o.formId)) return [];
    const failed = Array.isArray(o.failed) ? o.failed.filter((f): f is string => typeof f === 'string') : [];
    return [{ formId: o.formId, failed }];
  });
}

/** The case's facts as the forms name them. */
export function deskKnown(doc: CaseDoc, snap: RegistrySnapshot): DeskKnown {
  const partner = snap.partners.get(doc.partnerId);
  const endUserId = snap.systems.get(doc.systemKey)?.endUserId ?? snap.installations.get(doc.systemKey)?.endUserId;
  const endUser = endUserId ? snap.endUsers.get(endUserId) : undefined;
  return {
    caseNumber: doc.number,
    partnerId: doc.partnerId,
    ...(partner ? { partnerName: partner.name } : {}),
    ...(doc.replyTo ? { contactEmail: doc.replyTo } : {}),
    ...(endUser ? { endUserId: endUser.id, endUserName: endUser.name } : {}),
    // The system (or machine) the case was opened with; a form naming accounts instead has no field for it.
    targetSystem: doc.systemKey,
  };
}

/** The standard PDF fonts write Latin-1 only; other text is left for the partner to type. */
const WRITABLE = /^[\x20-\x7e\xa0-\xff\r\n\t]*$/;

async function replyForms(ctx: DeskContext, caseNumber: string, forms: ReplyForm[]): Promise<PlannedAttachments> {
  if (forms.length === 0) return NONE;
  const stored = await ctx.cases.get(caseNumber);
  if (!stored) return NONE;
  return prefilledForms(ctx, stored.doc, forms);
}

/** A case opened on the partner's page has no mail yet: its forms are filled from the registry case and its opener. */
export async function openedCaseForms(
  ctx: DeskContext,
  caseNumber: string,
  contact: string | undefined,
): Promise<PlannedAttachments> {
  const rc = await ctx.registry.getCase(caseNumber);
  if (!rc) return NONE;
  const doc = { ...newCaseDoc({ ...rc, at: new Date(rc.openedAt) }), ...(contact ? { replyTo: contact } : {}) };
  const forms = ctx.programs.get(rc.program).forms.map((formId) => ({ formId, failed: [] }));
  return prefilledForms(ctx, doc, forms);
}

/** The forms, filled with what the desk knows of the case (never card data), and how to make their PDFs. */
export async function prefilledForms(ctx: DeskContext, doc: CaseDoc, forms: ReplyForm[]): Promise<PlannedAttachments> {
  const caseNumber = doc.number;
  const known = deskKnown(doc, await ctx.registry.snapshotForPartner(doc.partnerId));
  const planned = forms.map((f) => {
    const all = prefillValues(f.formId, known, doc.forms, f.failed);
    const values: Record<string, FieldValue> = {};
    const unwritable: string[] = [];
    for (const [name, v] of Object.entries(all)) {
      if (typeof v === 'string' && !WRITABLE.test(v)) unwritable.push(name);
      else values[name] = v;
    }
    return {
      formId: f.formId,
      values,
      fileName: replyFormFileName(f.formId, caseNumber),
      title: formSpec(f.formId).title,
      failedFields: [...f.failed.filter((n) => values[n] === undefined && !unwritable.includes(n)), ...unwritable],
      cardFields: cardFieldsOf(f.formId),
    };
  });
  return {
    data: {
      replyForms: planned.map(({ fileName, title, failedFields, cardFields }) => ({
        fileName,
        title,
        failedFields,
        cardFields,
      })),
    },
    build: async () =>
      Promise.all(planned.map(async (p) => pdf(p.fileName, await fillFormOffLoop(p.formId, p.values)))),
  };
}

async function blankForms(ctx: DeskContext, partnerIds: string[]): Promise<PlannedAttachments> {
  const programs = new Set<string>();
  for (const id of partnerIds.slice(0, 5)) {
    const snap = await ctx.registry.snapshotForPartner(id);
    if (!snap.partners.has(id)) continue;
    for (const c of snap.cases.values()) programs.add(c.program);
    for (const s of snap.systems.values()) programs.add(s.program);
  }
  // The forms of every program the partner has cases or systems in, as each program lists them.
  const wanted = new Set(ctx.programs.list.filter((p) => programs.has(p.id)).flatMap((p) => p.forms));
  const ids: FormId[] = FORM_IDS.filter((id) => wanted.has(id));
  if (ids.length === 0) return NONE;
  return {
    data: { blankForms: ids.map((id) => ({ fileName: replyFormFileName(id), title: formSpec(id).title })) },
    build: async () => Promise.all(ids.map(async (id) => pdf(replyFormFileName(id), await blankFormOffLoop(id)))),
  };
}

const pdf = (filename: string, bytes: Uint8Array): MailAttachment => ({
  filename,
  content: Buffer.from(bytes),
  contentType: 'application/pdf',
});
