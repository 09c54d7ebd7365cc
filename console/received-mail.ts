/**
 * A received mail as a rep reads it: its text (card numbers removed, DSK-11)
 * and its attachments. The stored raw message is parsed in a MIME child
 * (mail/mime-parse-client.ts), never in the console's own process; each PDF
 * is read in a PDF child to learn which form it is, so a card form is never
 * served to a rep or an operator (only billing may see a card).
 */
import type { DeskContext } from '../workers/desk/context.js';
import { parseMailIsolated } from '../mail/mime-parse-client.js';
import { readPdfIsolated } from '../forms/pdf-read-client.js';
import { containsCardNumber, withoutCardNumbers } from '../lib/card-number.js';
import { formTitle } from './rep-words.js';

/** A form that carries card data: served to nobody at the console (billing only, when it has a page of its own). */
const CARD_FORM = /^card-authorization\//;
/** Characters of a mail's text a page shows. */
const TEXT_CHARS = 20_000;

export interface ReceivedFile {
  /** Position among the mail's PDFs: the file's link names it, never a path or a stored id. */
  index: number;
  name: string;
  /** The form's printed title, when the PDF is one of the desk's forms. */
  form?: string;
  /** Why it is not served (a card form; unreadable, so unchecked for card data). */
  withheld?: string;
}

export interface ReceivedMail {
  from: string;
  subject: string;
  receivedAt: string;
  text: string;
  files: ReceivedFile[];
  /** Attachments that are not PDFs: listed by name, not served. */
  others: string[];
  /** Set when the message could not be read (too large, broken, gone). */
  problem?: string;
}

interface Parsed {
  mail: ReceivedMail;
  pdfs: Buffer[];
}

async function parse(
  ctx: DeskContext,
  storedId: string,
  fallback: { from?: string; subject?: string; receivedAt?: string },
): Promise<Parsed> {
  const msg = await ctx.messages.get(storedId);
  const base: ReceivedMail = {
    from: msg?.meta.from ?? fallback.from ?? '',
    subject: withoutCardNumbers(msg?.meta.subject ?? fallback.subject ?? ''),
    receivedAt: msg?.meta.receivedAt ?? fallback.receivedAt ?? '',
    text: '',
    files: [],
    others: [],
  };
  if (!msg?.raw)
    return { mail: { ...base, problem: 'The message body is no longer kept (or was too large to fetch).' }, pdfs: [] };
  const r = await parseMailIsolated(msg.raw);
  if (!r.ok) return { mail: { ...base, problem: r.error.message }, pdfs: [] };
  const text = withoutCardNumbers(r.mail.text ?? '').slice(0, TEXT_CHARS);
  const pdfs = r.mail.parts.pdfs.map((p) => p.content);
  const files: ReceivedFile[] = [];
  for (const [index, p] of r.mail.parts.pdfs.entries()) {
    const read = await readPdfIsolated(p.content);
    const formId = read.ok ? read.form.formId : undefined;
    // A card number typed into another form's field is card data too (DSK-11): that PDF is withheld as well.
    const cardInFields =
      read.ok && Object.values(read.form.fields).some((v) => typeof v === 'string' && containsCardNumber(v));
    files.push({
      index,
      name: p.filename,
      ...(formId ? { form: formTitle(formId) } : {}),
      ...(formId && CARD_FORM.test(formId)
        ? { withheld: 'a card form: it is shown to billing only, never at the reps\u2019 console' }
        : !read.ok
          ? { withheld: 'it could not be read, so it could not be checked for card data' }
          : cardInFields
            ? { withheld: 'a field of it holds what looks like a card number; card data is shown to billing only' }
            : {}),
    });
  }
  const others = [...r.mail.parts.winmail, ...r.mail.parts.other];
  return { mail: { ...base, text, files, others }, pdfs };
}

/** Received mails whose text a case or quarantine page shows inline (the newest); older ones open on their own page. */
export const INLINE_TEXTS = 10;
/** Characters of each inline text. */
const INLINE_CHARS = 4000;

/** Just the text of a stored message (card numbers removed), for a page that lists several; '' when unreadable. */
export async function mailText(ctx: DeskContext, storedId: string): Promise<string> {
  const msg = await ctx.messages.get(storedId);
  if (!msg?.raw) return '';
  const r = await parseMailIsolated(msg.raw);
  if (!r.ok) return '';
  const text = withoutCardNumbers(r.mail.text ?? '');
  return text.length > INLINE_CHARS ? `${text.slice(0, INLINE_CHARS)} …` : text;
}

/** The `i`th mail of case `n` (its position in the case's list), or undefined. */
export async function caseMail(ctx: DeskContext, n: string, i: number): Promise<ReceivedMail | undefined> {
  const c = await ctx.cases.get(n);
  const m = c?.doc.messages[i];
  return m ? (await parse(ctx, m.id, m)).mail : undefined;
}

/** A quarantined message, by its stored id, only while it is in quarantine. */
export async function quarantinedMail(ctx: DeskContext, id: string): Promise<ReceivedMail | undefined> {
  if ((await ctx.messages.state(id)) !== 'quarantined') return undefined;
  return (await parse(ctx, id, {})).mail;
}

export type FileAnswer = { ok: true; name: string; bytes: Buffer } | { ok: false; status: 403 | 404; why: string };

async function file(ctx: DeskContext, storedId: string, k: number): Promise<FileAnswer> {
  const p = await parse(ctx, storedId, {});
  const f = p.mail.files[k];
  const bytes = p.pdfs[k];
  if (!f || !bytes) return { ok: false, status: 404, why: 'no such attachment' };
  if (f.withheld) return { ok: false, status: 403, why: `Not shown: ${f.withheld}.` };
  return { ok: true, name: f.name, bytes };
}

export async function caseFile(ctx: DeskContext, n: string, i: number, k: number): Promise<FileAnswer> {
  const c = await ctx.cases.get(n);
  const m = c?.doc.messages[i];
  return m ? file(ctx, m.id, k) : { ok: false, status: 404, why: 'no such mail on this case' };
}

export async function quarantinedFile(ctx: DeskContext, id: string, k: number): Promise<FileAnswer> {
  if ((await ctx.messages.state(id)) !== 'quarantined') return { ok: false, status: 404, why: 'not in quarantine' };
  return file(ctx, id, k);
}
