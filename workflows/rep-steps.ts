/**
 * A rep's own steps on a case from the console, beside approve and reject:
 * taking and releasing it, an internal note, and a message to the partner
 * (which may put a held case to `waiting-partner`). Pure: each returns the
 * next document, the audit action and reason, and the effects.
 */
import type { CaseDoc } from '../domain/case-doc.js';
import { canTransition } from '../domain/case-states.js';
import type { ProgramDefinition } from '../domain/program.js';
import { formSpec } from '../forms/specs.js';
import type { FormId } from '../forms/types.js';
import type { Step } from './case-workflow.js';

type Program = ProgramDefinition<unknown>;

function touched(prev: CaseDoc, now: Date): CaseDoc {
  const doc = structuredClone(prev);
  doc.updatedAt = now.toISOString();
  return doc;
}

/** "I have this one": the case is the rep's until released (or taken by another rep, which the trail shows). */
export function repTakes(prev: CaseDoc, rep: string, now: Date): Step {
  const doc = touched(prev, now);
  doc.owner = { email: rep, since: now.toISOString() };
  const from = prev.owner && prev.owner.email !== rep ? ` from ${prev.owner.email}` : '';
  return { doc, effects: [], action: 'rep-took', reason: `${rep} took the case${from}` };
}

export function repReleases(prev: CaseDoc, rep: string, now: Date): Step {
  const doc = touched(prev, now);
  delete doc.owner;
  const of = prev.owner && prev.owner.email !== rep ? ` (it was ${prev.owner.email}'s)` : '';
  return { doc, effects: [], action: 'rep-released', reason: `${rep} released the case${of}` };
}

/** An internal note: kept in the audit trail only, never mailed. */
export function repNotes(prev: CaseDoc, text: string, now: Date): Step {
  return { doc: touched(prev, now), effects: [], action: 'rep-note', reason: text };
}

export interface RepMessage {
  /** The rep's own words, as typed. */
  text: string;
  /** The case's forms to attach, pre-filled as the `incomplete` reply fills them (never card data). */
  forms: FormId[];
  /** Put a held case to `waiting-partner` with this message. */
  waitForPartner: boolean;
}

/**
 * A rep's message to the partner's contact of the case, as mail kind
 * `rep-message` through the outbox; `step` names it, so each message is one
 * mail however often the effect is carried out.
 */
export function repMessages(
  program: Program,
  prev: CaseDoc,
  rep: string,
  m: RepMessage,
  now: Date,
  step: string,
): Step {
  const doc = touched(prev, now);
  const toWaiting = m.waitForPartner && prev.state === 'held';
  if (m.waitForPartner && !toWaiting)
    throw new Error(`case ${prev.number} is ${prev.state}; only a held case waits for the partner`);
  if (toWaiting && !canTransition(program.states, prev.state, 'waiting-partner'))
    throw new Error(`case ${prev.number}: ${prev.state} -> waiting-partner is not allowed for ${prev.program}`);
  if (toWaiting) {
    doc.state = 'waiting-partner';
    doc.findings = [
      ...prev.findings,
      { rule: 'DSK-7', outcome: 'info', message: `${rep} asked the partner: ${m.text}` },
    ];
  }
  const attached = m.forms.length ? ` (attached: ${m.forms.map((f) => formSpec(f).title).join(', ')})` : '';
  return {
    doc,
    action: toWaiting ? 'rep-asked-partner' : 'rep-message',
    reason: `${m.text}${attached}`,
    effects: [
      {
        type: 'mail',
        kind: 'rep-message',
        to: 'partner',
        step,
        data: {
          repText: m.text,
          repLines: m.text.split(/\r?\n/),
          repBy: rep,
          replyForms: m.forms.map((formId) => ({ formId, failed: [] })),
        },
      },
    ],
  };
}
