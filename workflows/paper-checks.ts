/**
 * DSK-9: what a form read from paper must pass before anything is decided on
 * it. A value the reader is not sure of, a card number that fails its check,
 * an identifier that is not in the registry or lies one edit away from
 * another identifier of the same partner (SWP-4's danger: one misread digit
 * names the wrong system), and every faxed form (its sender cannot be
 * verified) hold the case for a rep. Pure: the registry comes as a snapshot.
 */
import { hold, type Finding } from '../domain/finding.js';
import type { CaseDoc, PaperRecord } from '../domain/case-doc.js';
import type { RegistrySnapshot } from '../domain/registry-model.js';

/** Below this confidence a value read from paper is a rep's to confirm. */
export const PAPER_CONFIDENCE = 0.85;

/** Fields whose value names something in the registry (docs/forms.md). */
export const IDENTIFIER_FIELDS = new Set([
  'partner_id',
  'end_user_id',
  'from_system_key',
  'to_system_key',
  'license_keys',
  'from_fk_sid',
  'from_fk_sid_confirm',
  'to_fk_sid',
  'to_fk_sid_confirm',
  'old_machine_id',
  'new_machine_id',
  'from_account_id',
  'to_account_id',
]);

/** Damerau–Levenshtein distance of at most one (a substitution, insertion, deletion or transposition). */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diff: number[] = [];
    for (let i = 0; i < a.length && diff.length < 3; i++) if (a[i] !== b[i]) diff.push(i);
    if (diff.length === 1) return true;
    return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
  }
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  return s.slice(i) === l.slice(i + 1);
}

/** Every identifier the partner's snapshot knows, upper-case. */
function knownIdentifiers(snapshot: RegistrySnapshot): Set<string> {
  const ids = new Set<string>();
  const add = (m: ReadonlyMap<string, unknown>): void => {
    for (const k of m.keys()) ids.add(k.toUpperCase());
  };
  add(snapshot.partners);
  add(snapshot.endUsers);
  add(snapshot.systems);
  add(snapshot.licenses);
  add(snapshot.accounts);
  add(snapshot.installations);
  for (const inst of snapshot.installations.values()) {
    const machine = (inst as { machineId?: unknown }).machineId;
    if (typeof machine === 'string') ids.add(machine.toUpperCase());
  }
  return ids;
}

/** The findings that hold a case whose forms came on paper; none once a rep confirmed them. */
export function paperFindings(doc: CaseDoc, snapshot: RegistrySnapshot | undefined): Finding[] {
  const out: Finding[] = [];
  const known = snapshot ? knownIdentifiers(snapshot) : undefined;
  for (const rec of doc.paper ?? []) {
    if (rec.confirmedBy) continue;
    const where = `${rec.file}${rec.page > 1 ? ` (page ${rec.page})` : ''}, ${rec.formId}`;
    if (rec.fax)
      out.push(hold('DSK-9', `The form ${where} came by fax, whose sender cannot be verified; a rep must confirm it.`));
    for (const f of rec.fields) {
      if (f.confidence < PAPER_CONFIDENCE)
        out.push(
          hold(
            'DSK-9',
            `The value of ${f.name} on ${where} was not read with certainty from paper; a rep must confirm it.`,
          ),
        );
    }
    if (
      rec.formId === 'card-authorization/v1' &&
      doc.formProblems.some((p) => p.formId === rec.formId && p.field === 'card_number')
    )
      out.push(hold('DSK-9', `The card number on ${where} fails its check as read from paper; a rep must confirm it.`));
    if (known) out.push(...identifierFindings(rec, where, known));
  }
  return out;
}

function identifierFindings(rec: PaperRecord, where: string, known: Set<string>): Finding[] {
  const out: Finding[] = [];
  for (const f of rec.fields) {
    if (!IDENTIFIER_FIELDS.has(f.name) || typeof f.value !== 'string') continue;
    for (const raw of f.value.split('\n')) {
      const id = raw.trim().toUpperCase();
      if (!id) continue;
      if (!known.has(id)) {
        out.push(
          hold(
            'DSK-9',
            `${f.name} on ${where} reads ${id}, which is not in the registry; a rep must confirm what the paper says.`,
          ),
        );
        continue;
      }
      const near = [...known].find((k) => oneEditApart(k, id));
      if (near)
        out.push(
          hold(
            'DSK-9',
            `${f.name} on ${where} reads ${id}, one character away from ${near}, another of the partner's identifiers; a rep must confirm which one the paper says.`,
          ),
        );
    }
  }
  return out;
}

/** While values read from paper wait for a rep, nothing is decided on them: a failing rule is held, not answered. */
export function underPaperHold(findings: Finding[]): Finding[] {
  return findings.map((f) =>
    f.outcome === 'fail'
      ? { rule: f.rule, outcome: 'hold' as const, message: `If the values read from paper are right: ${f.message}` }
      : f,
  );
}
