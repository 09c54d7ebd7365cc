/**
 * Forms on paper (DSK-9), the parts that need no desk: the QR code and marks
 * on the desk's own forms, the pure checks that hold a case for a rep, and the
 * reader on a print to PDF and a page image made from a filled form.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blankFormBytes, formLayout } from '../../forms/blank-writer.js';
import { fillForm } from '../../forms/form-filler.js';
import { parseQrText, qrText } from '../../forms/paper-marks.js';
import { paperKind, readPaper } from '../../forms/paper/read-paper.js';
import { FORM_IDS } from '../../forms/types.js';
import { paperFile } from '../../bench/paper-corpus.js';
import { oneEditApart, paperFindings, PAPER_CONFIDENCE } from '../../workflows/paper-checks.js';
import { newCaseDoc } from '../../domain/case-doc.js';
import { snapshotOf } from '../../domain/registry-model.js';

function qrOf(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'ld-qr-'));
  try {
    writeFileSync(join(dir, 'f.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', '100', '-gray', '-png', '-singlefile', join(dir, 'f.pdf'), join(dir, 'p')]);
    return execFileSync('zbarimg', ['-q', '--raw', join(dir, 'p.png')], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the desk forms carry their QR code and corner marks (DSK-9)', () => {
  it('DSK-9 every blank form has a readable QR code naming its form, version and page, and four corner marks in its layout', async () => {
    for (const id of FORM_IDS) {
      expect(parseQrText(qrOf(await blankFormBytes(id)))).toEqual({ formId: id, page: 1 });
      const layout = await formLayout(id);
      expect(layout.marks).toHaveLength(4);
      expect(layout.signature.height).toBeGreaterThan(20);
    }
  }, 60_000);

  it("DSK-9 a pre-filled form carries its case number in its QR code; a code that is not the desk's is nobody's", async () => {
    const pdf = await fillForm('card-authorization/v1', { form_id: 'card-authorization/v1', case_number: '100002' });
    expect(parseQrText(qrOf(pdf))).toEqual({ formId: 'card-authorization/v1', page: 1, caseNumber: '100002' });
    expect(parseQrText(qrText({ formId: 'swap-request/v1', page: 2 }))).toEqual({ formId: 'swap-request/v1', page: 2 });
    for (const other of ['https://example.com', 'licensedesk-form;x;p1', 'licensedesk-form;swap-request/v1;p1;c12'])
      expect(parseQrText(other)).toBeUndefined();
  });
});

describe('what holds a paper case for a rep (DSK-9, SWP-4)', () => {
  it('SWP-4 one edit apart: a substitution, an insertion, a deletion or a transposition; never the same or two edits', () => {
    expect(oneEditApart('LK-6640', 'LK-6648')).toBe(true);
    expect(oneEditApart('SYS-0012', 'SYS-0021')).toBe(true);
    expect(oneEditApart('SYS-001', 'SYS-0012')).toBe(true);
    expect(oneEditApart('SYS-4821', 'SYS-4821')).toBe(false);
    expect(oneEditApart('SYS-4821', 'SYS-7390')).toBe(false);
    expect(oneEditApart('SYS-1234', 'SYS-2143')).toBe(false);
  });

  const snap = snapshotOf({
    catalog: [],
    partners: [{ id: 'P-1', name: 'P', currency: 'USD', contacts: [] }],
    endUsers: [{ id: 'EU-1', name: 'E', partnerId: 'P-1' }],
    systems: [
      { key: 'SYS-4821', endUserId: 'EU-1', program: 'altigen', registered: true },
      { key: 'SYS-4827', endUserId: 'EU-1', program: 'altigen', registered: true },
      { key: 'SYS-7390', endUserId: 'EU-1', program: 'altigen', registered: true },
    ],
    licenses: [],
    cases: [],
  } as never);
  const docWith = (fields: Array<{ name: string; value: string; confidence: number }>, fax = false) => ({
    ...newCaseDoc({ number: '1000001', program: 'altigen', partnerId: 'P-1', systemKey: 'SYS-7390', at: new Date() }),
    paper: [
      {
        file: 'scan.png',
        formId: 'license-transfer/v1',
        page: 1,
        source: 'image' as const,
        fields,
        ...(fax ? { fax } : {}),
      },
    ],
  });

  it('DSK-9 a value below the threshold, an identifier not in the registry or one edit from another, and every fax hold the case', () => {
    const sure = PAPER_CONFIDENCE + 0.05;
    expect(paperFindings(docWith([{ name: 'to_system_key', value: 'SYS-7390', confidence: sure }]), snap)).toEqual([]);
    const low = paperFindings(
      docWith([{ name: 'to_system_key', value: 'SYS-7390', confidence: PAPER_CONFIDENCE - 0.01 }]),
      snap,
    );
    expect(low.map((f) => [f.rule, f.outcome])).toEqual([['DSK-9', 'hold']]);
    const near = paperFindings(docWith([{ name: 'from_system_key', value: 'SYS-4821', confidence: 0.99 }]), snap);
    expect(near[0]?.message).toContain('SYS-4827');
    const unknown = paperFindings(docWith([{ name: 'from_system_key', value: 'SYS-9999', confidence: 0.99 }]), snap);
    expect(unknown[0]?.message).toContain('not in the registry');
    const fax = paperFindings(docWith([{ name: 'to_system_key', value: 'SYS-7390', confidence: sure }], true), snap);
    expect(fax[0]?.message).toContain('fax');
    // Once a rep confirmed the values, they hold nothing.
    const keyed = docWith([{ name: 'to_system_key', value: 'SYS-7390', confidence: 0.1 }], true);
    keyed.paper[0] = { ...keyed.paper[0]!, confirmedBy: 'rep@desk.test' } as never;
    expect(paperFindings(keyed, snap)).toEqual([]);
  });
});

describe('the paper reader (DSK-9)', () => {
  const values = {
    case_number: '300001',
    from_system_key: 'SYS-4821',
    to_system_key: 'SYS-7390',
    station_count: '12',
    agent_seat_count: '4',
    target_hostname: 'pbx.globex.example',
    target_os: 'Windows Server 2022',
  };

  it('DSK-9 a form printed to PDF is read from its text, every value certain', async () => {
    const f = await paperFile('print-pdf', [{ formId: 'sso-migration/v1', values }]);
    expect(paperKind(f.bytes)).toBe('pdf');
    const r = await readPaper(f.bytes, 'pdf', Date.now() + 20_000);
    expect(r.forms).toHaveLength(1);
    expect(r.forms[0]!.fields).toEqual({ form_id: 'sso-migration/v1', ...values });
    expect(Object.values(r.forms[0]!.paper!.confidence).every((c) => c === 1)).toBe(true);
  }, 30_000);

  it('DSK-9 a ticked checkbox of a form printed to PDF is read by its ink (a tick is no text), an empty one as empty', async () => {
    for (const ticked of [true, false]) {
      const f = await paperFile('print-pdf', [
        { formId: 'license-transfer/v1', values: { case_number: '300001', software_only_upgrade: ticked } },
      ]);
      const r = await readPaper(f.bytes, 'pdf', Date.now() + 20_000);
      expect(r.forms[0]!.fields.software_only_upgrade).toBe(ticked);
      expect(r.forms[0]!.paper!.confidence.software_only_upgrade).toBe(1);
    }
  }, 30_000);

  it('DSK-9 a page scanned upside down at 200 dpi is turned, placed and read; a page that is no desk form is unplaced', async () => {
    const f = await paperFile('upside-down', [{ formId: 'sso-migration/v1', values }]);
    const r = await readPaper(f.bytes, 'png', Date.now() + 30_000);
    const form = r.forms[0]!;
    expect(form.paper?.source).toBe('image');
    for (const [k, v] of Object.entries(values))
      if (form.paper!.confidence[k]! >= PAPER_CONFIDENCE) expect(form.fields[k]).toBe(v);
    expect(Object.values(form.paper!.crops).length).toBeGreaterThan(5);
    const blank = Buffer.from(
      execFileSync('convert', ['-size', '400x560', 'xc:white', 'png:-'], { stdio: ['ignore', 'pipe', 'ignore'] }),
    );
    expect((await readPaper(blank, 'png', Date.now() + 10_000)).unplaced).toEqual([1]);
  }, 60_000);
});
