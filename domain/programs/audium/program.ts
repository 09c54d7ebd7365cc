/**
 * Audium (docs/rules.md AUD-1 … AUD-5) as the desk sees it: its forms, rules,
 * the reactivation an approved move waits for (AUD-2), session pools
 * (AUD-3, AUD-4) and mail.
 */
import { STANDARD_STATES } from '../../case-states.js';
import type { ProgramDefinition } from '../../program.js';
import { AUDIUM_FORMS, type AudiumDetails } from './request.js';
import { reviewAudium } from './review.js';
import { claimSessions, reactivate } from './sessions.js';

export const audium: ProgramDefinition<AudiumDetails> = {
  id: 'audium',
  title: 'Audium',
  rulePrefix: 'AUD',
  words: ['Audium', 'Call Services'],
  auditRules: { forfeit: undefined, disable: undefined },
  forms: AUDIUM_FORMS,
  states: STANDARD_STATES,
  deadline: { hours: 24, rule: undefined },
  senders: () => [],
  answersMail: () => undefined,
  review: (input, snapshot, clock) => reviewAudium(input, snapshot, clock),
  complete: () => ({ state: 'transferred', effects: [] }),
  transferredMail(facts) {
    const to = facts.moves[0]?.to ?? '';
    return {
      subject: 'Licenses moved',
      intro: `The licenses of case ${facts.caseNumber} have been moved from ${facts.moves[0]?.from ?? ''} to ${to}:`,
      moved: facts.moves.map((m) => `${m.licenseKey} (${m.sku ?? ''})`),
      notes: [],
      nextSteps: [`(AUD-1) Activate the software on machine ${to}: the licenses are now bound to it.`],
    };
  },
  // AUD-2: the move completes only once the old machine's reactivation confirms its deactivation.
  waitsForReactivation: (details) => details.requiresReactivationOf,
  keyReturns: undefined,
  activations: {
    rules: { claim: 'AUD-4', reactivate: 'AUD-2, AUD-3', awaited: 'AUD-2' },
    claim: (snap, input) => claimSessions(snap, input),
    reactivate: (snap, input) => reactivate(snap, input),
  },
  repQuestions: undefined,
};
