/**
 * SWP-4 holds as questions for a rep: the FK/SID the form gives and the
 * partner's FK/SIDs one typing slip away from it (near-miss.ts decides "one
 * slip", as review did). Confirming the form's own value releases the SWAP;
 * naming another rejects the case, because a SWAP uses the form's data
 * strictly and the partner must send a corrected form on a new case.
 */
import type { CaseDoc } from '../../case-doc.js';
import type { RepQuestion, RepQuestionRules } from '../../program.js';
import type { RegistrySnapshot } from '../../registry-model.js';
import { normalKey, partnerSwapSystems } from './lookup.js';
import { nearMisses } from './near-miss.js';
import { SWAP_FORM, SWAP_FORM_TITLE } from './request.js';

function ask(doc: CaseDoc, snap: RegistrySnapshot): RepQuestion[] {
  if (!doc.findings.some((f) => f.rule === 'SWP-4' && f.outcome === 'hold')) return [];
  const form = doc.forms[SWAP_FORM];
  if (!form) return [];
  const keys = partnerSwapSystems(snap, doc.partnerId).map((s) => s.key);
  const out: RepQuestion[] = [];
  for (const [role, typed] of [
    ['FROM', form.fromFkSid],
    ['TO', form.toFkSid],
  ] as const) {
    if (!typed) continue;
    const near = nearMisses(
      typed,
      keys.filter((k) => normalKey(k) !== normalKey(typed)),
    );
    if (near.length > 0)
      out.push({ id: role, rule: 'SWP-4', label: `${role} FK/SID`, typed, options: [typed, ...near] });
  }
  return out;
}

function decide(
  questions: RepQuestion[],
  answers: Record<string, string>,
): { decision: 'approve' | 'reject'; words: string } {
  const said = questions.map((q) => `${q.id} ${answers[q.id] ?? ''}`).join(', ');
  const other = questions.filter((q) => normalKey(answers[q.id] ?? '') !== normalKey(q.typed));
  if (other.length === 0) return { decision: 'approve', words: `SWP-4: the rep confirmed ${said} as meant` };
  const wrong = other
    .map((q) => `the ${q.label} meant is ${answers[q.id] ?? ''}, not ${q.typed} as the form says`)
    .join('; ');
  return {
    decision: 'reject',
    words: `SWP-4: ${wrong}. A SWAP uses the form's data strictly, so please open a new case with a corrected ${SWAP_FORM_TITLE}`,
  };
}

export const swp4Questions: RepQuestionRules = { ask, decide };
