/**
 * `npm run bench:paper`: forms on paper (DSK-9) read the way the desk reads
 * them, for each kind of page: 200 and 300 dpi grey scans, a 1-bit fax TIFF
 * at 204×196 dpi (both forms of a case in one multi-page file), a phone photo
 * (JPEG q70, tilted 1–3°, uneven light), a page upside down, a scan in a PDF,
 * a print to PDF, and a scan with values written by hand (a script font).
 * The corpus is made from the desk's own forms (bench/paper-corpus.ts); each
 * case is a License Transfer Form and a Credit Card Authorization.
 *
 * For each kind it prints: fields read exactly (%), cases decided without a
 * rep (%), wrong values acted on (must be 0), CPU ms per page (the reader and
 * its tools, less a bare node start) and the peak RSS of the reading process
 * or any tool it ran, and the wall time of the slowest page with the pages over
 * the desk's per-page budget (the machine's load moves these; CPU does not). A case is decided without a rep when every value is
 * read with at least the desk's confidence, every form types without
 * problems and the DSK-9 checks against the registry hold nothing; a value
 * acted on is one of such a case. BENCH_PAPER_CASES (default 3) cases a kind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { paperFile, type PaperKindName, type PaperPage } from './paper-corpus.js';
import { newCaseDoc } from '../domain/case-doc.js';
import { snapshotOf } from '../domain/registry-model.js';
import { typeForm } from '../forms/typing.js';
import type { FieldValue, RawForm } from '../forms/types.js';
import { paperRecord } from '../workers/intake/paper-intake.js';
import { PAPER_CONFIDENCE, oneEditApart, paperFindings } from '../workflows/paper-checks.js';
import { PAGE_BUDGET_MS } from '../forms/paper/read-paper.js';

const CASES = Number(process.env.BENCH_PAPER_CASES ?? 3);
const READER = fileURLToPath(new URL('./paper-read-one.js', import.meta.url));
const KINDS: Array<{ kind: PaperKindName; label: string; handwritten?: string[] }> = [
  { kind: 'scan200', label: 'scan 200 dpi grey' },
  { kind: 'scan300', label: 'scan 300 dpi grey' },
  { kind: 'fax', label: 'fax TIFF 1-bit 204x196' },
  { kind: 'photo', label: 'phone photo JPEG q70' },
  { kind: 'upside-down', label: 'upside down 200 dpi' },
  { kind: 'scan-pdf', label: 'scan in a PDF 200 dpi' },
  { kind: 'print-pdf', label: 'printed to PDF' },
  { kind: 'scan200', label: 'handwritten (script)', handwritten: ['from_system_key', 'signer_name'] },
];

const NAMES = ['Pat Partner', 'Robin Reyes', 'Alex Morgan', 'Sam Okafor', 'Kim Larsen', 'Jo Tanaka'];
const CARDS = [
  '4929381350262709',
  '4539578763621486',
  '5425233430109903',
  '4716108999716531',
  '2223000048410010',
  '4485275742308327',
];

/** Four-digit identifiers no two of which are one edit (or one transposition) apart. */
function ids(n: number, seed: number): string[] {
  const out: string[] = [];
  let x = seed;
  while (out.length < n) {
    x = (x * 7919 + 104729) % 9000;
    const id = String(1000 + x);
    if (out.every((o) => o !== id && !oneEditApart(o, id))) out.push(id);
  }
  return out;
}

interface BenchCase {
  number: string;
  pages: PaperPage[];
}

function corpus(): { cases: BenchCase[]; registry: object } {
  const sys = ids(CASES * 2, 17);
  const lk = ids(CASES, 91);
  const cases: BenchCase[] = [];
  const registry = {
    catalog: [
      {
        sku: 'ALTI-STATION-10',
        kind: 'station',
        count: 10,
        lifecycle: 'orderable',
        listPrice: { USD: 1500 },
        saYearly: { USD: 150 },
      },
    ],
    partners: [{ id: 'P-4410', name: 'Acme Telecom', currency: 'USD', contacts: ['ops@acme.example'] }],
    endUsers: [{ id: 'EU-7315', name: 'Globex', partnerId: 'P-4410' }],
    systems: sys.map((k) => ({
      key: `SYS-${k}`,
      endUserId: 'EU-7315',
      program: 'altigen',
      registered: true,
      model: 'Max2000',
    })),
    licenses: lk.map((k, i) => ({
      key: `LK-${k}`,
      systemKey: `SYS-${sys[2 * i]}`,
      sku: 'ALTI-STATION-10',
      quantity: 1,
    })),
    cases: [] as object[],
  };
  for (let i = 0; i < CASES; i++) {
    const number = String(410001 + i);
    const name = NAMES[i % NAMES.length]!;
    const card = CARDS[i % CARDS.length]!;
    registry.cases.push({
      number,
      partnerId: 'P-4410',
      systemKey: `SYS-${sys[2 * i + 1]}`,
      program: 'altigen',
      openedAt: new Date().toISOString(),
    });
    cases.push({
      number,
      pages: [
        {
          formId: 'license-transfer/v1',
          values: {
            case_number: number,
            partner_id: 'P-4410',
            partner_name: 'Acme Telecom',
            contact_email: 'ops@acme.example',
            end_user_id: 'EU-7315',
            end_user_name: 'Globex',
            from_system_key: `SYS-${sys[2 * i]}`,
            to_system_key: `SYS-${sys[2 * i + 1]}`,
            to_chassis_model: 'Max2000',
            license_keys: `LK-${lk[i]}`,
            software_only_upgrade: i % 3 === 2,
            signer_name: name,
            signed_on: `2026-12-0${1 + (i % 9)}`,
          },
        },
        {
          formId: 'card-authorization/v1',
          values: {
            case_number: number,
            cardholder_name: name,
            card_number: card.replace(/(\d{4})(?=\d)/g, '$1 '),
            card_expiry: `${String(1 + (i % 12)).padStart(2, '0')}/3${i % 10}`,
            billing_postcode: String(94016 + i * 37),
            max_amount: `${1000 + i * 250}.00`,
            currency: 'USD',
            signer_name: name,
            signed_on: `2026-12-0${1 + (i % 9)}`,
          },
        },
      ],
    });
  }
  return { cases, registry };
}

const same = (name: string, got: FieldValue | undefined, want: FieldValue | undefined): boolean => {
  const norm = (v: FieldValue | undefined) => (typeof v === 'string' ? v.trim() : (v ?? ''));
  if (name === 'card_number') return String(got ?? '').replace(/\D/g, '') === String(want ?? '').replace(/\D/g, '');
  return norm(got) === norm(want === undefined ? (typeof got === 'boolean' ? false : '') : want);
};

interface Row {
  label: string;
  fields: number;
  exact: number;
  cases: number;
  noRep: number;
  wrongActed: number;
  pages: number;
  cpuMs: number;
  peakKb: number;
  unplaced: number;
  overBudget: number;
  maxPageMs: number;
}

function timed(file: string): { out: string; cpuMs: number; rssKb: number } {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, READER, file], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [u, s, m] = last.split(' ').map(Number);
  if (r.status !== 0) throw new Error(`reading ${file} failed: ${r.stderr.slice(-400)}`);
  return { out: r.stdout, cpuMs: ((u ?? 0) + (s ?? 0)) * 1000, rssKb: m ?? 0 };
}

async function main(): Promise<void> {
  for (const tool of ['pdftoppm', 'pdftotext', 'zbarimg', 'tesseract', 'convert', 'tiffcp', 'pdftk'])
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  const { cases, registry } = corpus();
  const snap = snapshotOf(registry as never);
  const base = [0, 1, 2].map(() => timed('--noop').cpuMs).sort((a, b) => a - b)[1]!;
  const dir = mkdtempSync(join(tmpdir(), 'ld-bench-paper-'));
  const rows: Row[] = [];
  try {
    for (const k of KINDS) {
      const row: Row = {
        label: k.label,
        fields: 0,
        exact: 0,
        cases: 0,
        noRep: 0,
        wrongActed: 0,
        pages: 0,
        cpuMs: 0,
        peakKb: 0,
        unplaced: 0,
        overBudget: 0,
        maxPageMs: 0,
      };
      for (const c of cases) {
        const pages = c.pages.map((p, i) => (i === 0 && k.handwritten ? { ...p, handwritten: k.handwritten } : p));
        // A fax carries both forms in one TIFF; every other kind sends a file a form.
        const files =
          k.kind === 'fax'
            ? [await paperFile('fax', pages)]
            : await Promise.all(pages.map((p) => paperFile(k.kind, [p])));
        const read: RawForm[] = [];
        for (const [i, f] of files.entries()) {
          const path = join(dir, `${c.number}-${i}-${f.name}`);
          writeFileSync(path, f.bytes);
          const t = timed(path);
          rmSync(path, { force: true });
          const res = JSON.parse(t.out) as {
            forms: Array<{ formId: string; fields: Record<string, FieldValue>; confidence: Record<string, number> }>;
            unplaced: number[];
            pageMs?: number[];
          };
          row.cpuMs += Math.max(0, t.cpuMs - base);
          row.peakKb = Math.max(row.peakKb, t.rssKb);
          row.pages += res.forms.length + res.unplaced.length;
          row.unplaced += res.unplaced.length;
          for (const ms of res.pageMs ?? []) {
            row.maxPageMs = Math.max(row.maxPageMs, ms);
            if (ms > PAGE_BUDGET_MS) row.overBudget++;
          }
          for (const f of res.forms)
            read.push({
              formId: f.formId,
              fields: f.fields,
              discarded: [],
              paper: { source: 'image', page: 1, confidence: f.confidence, crops: {} },
            });
        }
        // Fields: every field of every page sent, a page not read counting its fields as missed.
        let wrong = 0;
        for (const p of pages) {
          const got = read.find((r) => r.formId === p.formId);
          const names = Object.keys(p.values);
          row.fields += names.length;
          for (const n of names) {
            const ok = got !== undefined && same(n, got.fields[n], p.values[n]);
            if (ok) row.exact++;
            else if (got) wrong++;
          }
        }
        row.cases++;
        const doc = {
          ...newCaseDoc({
            number: c.number,
            program: 'altigen',
            partnerId: 'P-4410',
            systemKey: String(pages[0]!.values.to_system_key),
            at: new Date(),
          }),
          paper: read.map((r) => paperRecord('bench', r, false)),
          formProblems: read.flatMap((r) => {
            const typed = typeForm(r, { now: new Date('2026-12-07T12:00:00Z'), tokenize: () => 'tok' });
            return 'problems' in typed ? typed.problems : [];
          }),
        };
        const certain =
          read.length === pages.length &&
          read.every((r) => Object.values(r.paper!.confidence).every((x) => x >= PAPER_CONFIDENCE));
        const decided = certain && doc.formProblems.length === 0 && paperFindings(doc, snap).length === 0;
        if (!decided && process.env.BENCH_PAPER_VERBOSE) {
          const low = read.flatMap((r) =>
            Object.entries(r.paper!.confidence)
              .filter(([, x]) => x < PAPER_CONFIDENCE)
              .map(([n, x]) => `${n} ${x.toFixed(2)}`),
          );
          const why = [
            ...low,
            ...doc.formProblems.map((p) => `${p.field}: ${p.problem}`),
            ...paperFindings(doc, snap).map((f) => f.message),
          ];
          process.stderr.write(`  ${k.label} case ${c.number} needs a rep: ${[...new Set(why)].join('; ')}\n`);
        }
        if (decided) {
          row.noRep++;
          row.wrongActed += wrong;
        }
      }
      rows.push(row);
      printRow(row);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const acted = rows.reduce((s, r) => s + r.wrongActed, 0);
  process.stdout.write(`\nwrong values acted on, whole corpus: ${acted}${acted === 0 ? '' : '  <-- MUST BE 0'}\n`);
  if (acted !== 0) process.exitCode = 1;
}

let header = false;
function printRow(r: Row): void {
  const pct = (a: number, b: number) => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)} %`);
  if (!header) {
    header = true;
    process.stdout.write(
      `${'kind of page'.padEnd(26)}${'fields exact'.padStart(14)}${'no rep'.padStart(10)}${'wrong acted'.padStart(13)}${'CPU ms/page'.padStart(13)}${'peak RSS'.padStart(11)}${'unplaced'.padStart(10)}${'max wall'.padStart(10)}${'over 12 s'.padStart(11)}\n`,
    );
  }
  process.stdout.write(
    `${r.label.padEnd(26)}${`${pct(r.exact, r.fields)}`.padStart(14)}${pct(r.noRep, r.cases).padStart(10)}${String(r.wrongActed).padStart(13)}${String(Math.round(r.cpuMs / Math.max(1, r.pages))).padStart(13)}${`${Math.round(r.peakKb / 1024)} MB`.padStart(11)}${String(r.unplaced).padStart(10)}${`${(r.maxPageMs / 1000).toFixed(1)} s`.padStart(10)}${String(r.overBudget).padStart(11)}\n`,
  );
}

await main();
