/**
 * Partner mail for long runs (20,000 cases) without filling 40,000 forms with
 * pdf-lib (about 70 ms a mail). Each shape (partner, number of digits of the
 * case's index) is filled once, saved without object streams so every field
 * value is a plain `<FEFF…>` hex string in the file; a case's forms are that
 * template with its own values written over the template's, byte for byte
 * (same length, so the cross-reference offsets stay right). The desk reads
 * field values (/V), which carry the case's values; the pages' appearance
 * streams still show the template's. A form so made reads like one pdf-lib
 * filled: `check` reads one back through the desk's own reader before a run.
 */
import { fillForm } from '../forms/form-filler.js';
import { readPdfForm } from '../forms/pdf-reader.js';
import { cardValues, caseNumber, licenseTransferValues, partnerMail } from './bench-fixture.js';

const hexOf = (s: string): Buffer =>
  Buffer.from(
    `<FEFF${[...s].map((c) => c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')).join('')}>`,
    'latin1',
  );

function replaceAll(bytes: Buffer, from: Buffer, to: Buffer): number {
  if (from.length !== to.length) throw new Error('cheap-mail: a value must keep its length');
  let n = 0;
  for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + from.length)) {
    to.copy(bytes, at);
    n++;
  }
  return n;
}

/** The values that differ between two cases of one shape, as (template's, case's) encodings. */
function varying(a: Record<string, string | boolean>, b: Record<string, string | boolean>): Array<[Buffer, Buffer]> {
  return Object.keys(a)
    .filter((k) => typeof a[k] === 'string' && a[k] !== b[k])
    .map((k) => [hexOf(String(a[k])), hexOf(String(b[k]))]);
}

export class CheapMail {
  private readonly templates = new Map<string, { lt: Buffer; cc: Buffer; index: number }>();

  constructor(private readonly partners: number) {}

  private async template(i: number): Promise<{ lt: Buffer; cc: Buffer; index: number }> {
    const digits = String(i).length;
    const key = `${i % this.partners}/${digits}`;
    let t = this.templates.get(key);
    if (!t) {
      // The shape's first case is filled by pdf-lib; the others of its shape are written over it.
      const index = i;
      const lt = Buffer.from(
        await fillForm('license-transfer/v1', licenseTransferValues(index, this.partners), { useObjectStreams: false }),
      );
      const cc = Buffer.from(await fillForm('card-authorization/v1', cardValues(index), { useObjectStreams: false }));
      t = { lt, cc, index };
      this.templates.set(key, t);
    }
    return t;
  }

  /** Case i's two forms. */
  async forms(i: number): Promise<{ lt: Buffer; cc: Buffer }> {
    const t = await this.template(i);
    const lt = Buffer.from(t.lt);
    const cc = Buffer.from(t.cc);
    if (t.index !== i) {
      for (const [from, to] of varying(
        licenseTransferValues(t.index, this.partners),
        licenseTransferValues(i, this.partners),
      )) {
        if (replaceAll(lt, from, to) === 0)
          throw new Error(
            `cheap-mail: a License Transfer Form value of case ${caseNumber(i)} was not found in its template`,
          );
      }
      for (const [from, to] of varying(cardValues(t.index), cardValues(i))) {
        if (replaceAll(cc, from, to) === 0)
          throw new Error(`cheap-mail: a card form value of case ${caseNumber(i)} was not found in its template`);
      }
    }
    return { lt, cc };
  }

  async mail(i: number): Promise<Buffer> {
    const { lt, cc } = await this.forms(i);
    return partnerMail(i, this.partners, lt, cc);
  }

  /** Throws unless case i's forms, as made here, read back with case i's values (the desk's own reader). */
  async check(i: number): Promise<void> {
    const { lt, cc } = await this.forms(i);
    for (const [bytes, want] of [
      [lt, licenseTransferValues(i, this.partners)],
      [cc, cardValues(i)],
    ] as const) {
      const read = await readPdfForm(new Uint8Array(bytes));
      if (!read.ok) throw new Error(`cheap-mail: case ${caseNumber(i)}'s form does not read: ${read.error.message}`);
      for (const [k, v] of Object.entries(want)) {
        if (typeof v === 'string' && k !== 'card_number' && read.form.fields[k] !== v)
          throw new Error(`cheap-mail: case ${caseNumber(i)}'s ${k} reads ${String(read.form.fields[k])}, not ${v}`);
      }
    }
  }
}
