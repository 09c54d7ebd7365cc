/**
 * The sweep's decision for a message still awaiting intake
 * (workflows/intake-resume-steps.ts), table driven.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_INTAKE_RESUMES,
  pendingIntakeAction,
  type PendingIntakeFacts,
} from '../../workflows/intake-resume-steps.js';

const cases: Array<[string, PendingIntakeFacts, ReturnType<typeof pendingIntakeAction>]> = [
  [
    'a processed message is no longer awaited',
    { state: 'processed', jobs: ['completed'], resumes: 0 },
    { type: 'forget' },
  ],
  [
    'a quarantined message is no longer awaited',
    { state: 'quarantined', jobs: ['completed'], resumes: 0 },
    { type: 'forget' },
  ],
  [
    'a message retention deleted is no longer awaited',
    { state: undefined, jobs: ['unknown'], resumes: 0 },
    { type: 'forget' },
  ],
  [
    'a stored message whose job waits in a long queue is left to it',
    { state: 'stored', jobs: ['waiting'], resumes: 0 },
    { type: 'wait' },
  ],
  [
    'a stored message whose job is between attempts is left to it',
    { state: 'stored', jobs: ['delayed'], resumes: 0 },
    { type: 'wait' },
  ],
  [
    'a stored message whose job runs is left to it',
    { state: 'stored', jobs: ['active'], resumes: 0 },
    { type: 'wait' },
  ],
  [
    'a released message whose release job waits is left to it, though its first job completed',
    { state: 'stored', jobs: ['completed', 'prioritized'], resumes: 0 },
    { type: 'wait' },
  ],
  [
    'a stored message whose job a failover lost is queued again',
    { state: 'stored', jobs: ['unknown'], resumes: 0 },
    { type: 'resume' },
  ],
  [
    'a stored message whose job failed every attempt is queued again',
    { state: 'stored', jobs: ['failed'], resumes: 0 },
    { type: 'resume' },
  ],
  [
    'a stored message whose job completed without ending it (the end lost in a failover) is queued again',
    { state: 'stored', jobs: ['completed'], resumes: 1 },
    { type: 'resume' },
  ],
  [
    'a message resumed the most times is left to reps in the quarantine',
    { state: 'stored', jobs: ['failed', 'failed'], resumes: MAX_INTAKE_RESUMES },
    { type: 'quarantine', tries: MAX_INTAKE_RESUMES + 1 },
  ],
  [
    'even then a live job is waited for',
    { state: 'stored', jobs: ['failed', 'active'], resumes: MAX_INTAKE_RESUMES },
    { type: 'wait' },
  ],
];

describe('pendingIntakeAction', () => {
  it.each(cases)('%s', (_title, facts, expected) => {
    expect(pendingIntakeAction(facts)).toEqual(expected);
  });
});
