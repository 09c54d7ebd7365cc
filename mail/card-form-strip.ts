/**
 * A partner's mail without its card form (DSK-5, DSK-11): the desk keeps what
 * it read from the form (last four digits and a token, on the case), never the
 * form longer than it has to. Only the card form's own MIME part is replaced,
 * in place, by a short text part saying what was removed; every other header
 * (`Received`, `Authentication-Results`, `DKIM-Signature`, `Return-Path` …)
 * and every other part stay byte for byte. @zone-eu/mailsplit splits the mail
 * into its parts as a stream and joins them again: one pass finds the PDF
 * parts and judges them, a second rewrites only those judged card data (its
 * `Rewriter`), so the mail is never parsed into objects and composed anew.
 *
 * A part is card data when it is a PDF the caller calls card data (a PDF that
 * cannot be read counts: the desk cannot tell it holds no card number), also
 * inside a forwarded message, or a winmail.dat (its PDFs are unreadable to the
 * desk).
 */
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Joiner, Rewriter, Splitter, Streamer } from '@zone-eu/mailsplit';
import { looksLikePdf } from './attachments.js';

/** Header set on the rewritten mail; the ingester tells a stripped copy in IMAP by it. */
export const STRIPPED_HEADER = 'X-Licensedesk-Card-Form-Removed';
/** The name of the text part left where the card form was. */
export const REMOVED_PART_NAME = 'card-form-removed.txt';

export interface StripResult {
  raw: Buffer;
  /** Names of the parts removed. */
  removed: string[];
}

/** `isCardPdf` answers true for a card form or a PDF it could not read. */
export type CardPdfTest = (pdf: Buffer) => Promise<boolean>;

const PDF_TYPES = new Set(['application/pdf', 'application/x-pdf', 'application/acrobat', 'application/vnd.pdf']);
const TNEF_TYPES = new Set(['application/ms-tnef', 'application/vnd.ms-tnef']);

interface PartNode {
  multipart: string | false;
  rfc822: boolean;
  contentType: string | false;
  filename: string | false;
}

type Kind = 'pdf' | 'tnef' | 'maybe';

/** Which leaf parts may hold card data, judged by type and name here and by their bytes after decoding. */
function kindOf(node: PartNode): Kind | undefined {
  if (node.multipart || node.rfc822) return undefined; // a forwarded message's own parts come as nodes of their own
  const type = (node.contentType || '').toLowerCase();
  const name = (node.filename || '').toLowerCase();
  if (TNEF_TYPES.has(type) || name === 'winmail.dat') return 'tnef';
  if (PDF_TYPES.has(type) || name.endsWith('.pdf')) return 'pdf';
  if (!type.startsWith('text/') && !type.startsWith('multipart/')) return 'maybe';
  return undefined;
}

const splitter = () => new Splitter({ maxHeadSize: 1024 * 1024 });
const sink = () =>
  new Writable({
    objectMode: true,
    write(_chunk, _enc, done) {
      done();
    },
  });

/** First pass: the decoded content of every part that may hold card data, in the order the splitter meets them. */
async function candidates(raw: Buffer): Promise<Array<{ kind: Kind; name: string; content: Buffer }>> {
  const found: Array<{ kind: Kind; name: string; content: Buffer }> = [];
  const streamer = new Streamer((node: PartNode) => kindOf(node) !== undefined);
  streamer.on('node', (data: { node: PartNode; decoder: Readable; done: () => void }) => {
    const chunks: Buffer[] = [];
    data.decoder.on('data', (c: Buffer) => chunks.push(c));
    data.decoder.on('end', () => {
      found.push({
        kind: kindOf(data.node)!,
        name: data.node.filename || data.node.contentType || 'attachment',
        content: Buffer.concat(chunks),
      });
      data.done();
    });
  });
  await pipeline(Readable.from([raw]), splitter(), streamer, sink());
  return found;
}

/** The mail without its card-data parts, or undefined when it has none. */
export async function stripCardForms(
  raw: Buffer,
  isCardPdf: CardPdfTest,
  note: (removed: string[]) => string,
): Promise<StripResult | undefined> {
  const parts = await candidates(raw);
  const card = new Set<number>();
  for (const [i, p] of parts.entries()) {
    const pdf = p.kind === 'pdf' || (p.kind === 'maybe' && looksLikePdf(p.content));
    if (p.kind === 'tnef' || (pdf && (await isCardPdf(p.content)))) card.add(i);
  }
  if (card.size === 0) return undefined;
  const removed = parts.filter((_p, i) => card.has(i)).map((p) => p.name.replace(/[\r\n]/g, ' '));
  const text = Buffer.from(note(removed), 'utf8');

  // Second pass: the same parts in the same order; only those judged card data are rewritten.
  let seen = -1;
  const rewriter = new Rewriter((node: PartNode) => {
    if (kindOf(node) === undefined) return false;
    seen += 1;
    return card.has(seen);
  });
  rewriter.on(
    'node',
    (data: {
      node: PartNode & {
        setContentType(t: string): void;
        setCharset(c: string): void;
        setFilename(f: string): void;
      };
      decoder: Readable;
      encoder: Writable;
    }) => {
      data.node.setContentType('text/plain');
      data.node.setCharset('utf-8');
      data.node.setFilename(REMOVED_PART_NAME);
      data.decoder.resume(); // the card form's bytes go nowhere
      data.decoder.on('end', () => data.encoder.end(text));
    },
  );
  // The root's header block gains one line; every other line is written back as it came.
  const mark = new Transform({
    objectMode: true,
    transform(chunk: { type?: string; root?: boolean; headers?: { add(k: string, v: string): void } }, _enc, done) {
      if (chunk.type === 'node' && chunk.root && chunk.headers) chunk.headers.add(STRIPPED_HEADER, removed.join(', '));
      done(null, chunk);
    },
  });
  const out: Buffer[] = [];
  const collect = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(chunk);
      done();
    },
  });
  await pipeline(Readable.from([raw]), splitter(), mark, rewriter, new Joiner(), collect);
  return { raw: Buffer.concat(out), removed };
}
