/**
 * What the sweep does with a message that has waited for its intake longer
 * than it should (pure: the worker reads, calls this, and acts).
 *
 * A stored message ends only when intake ends it. Its intake job can be lost
 * while the mail has already left the INBOX, so the ingester will never queue
 * it again: a Redis failover that promoted a replica without the job, or a job
 * that failed every attempt while Redis kept going away. Nothing else would
 * ever decide that partner's mail, so the sweep queues it once more, as it
 * queues a lost transfer or review. A message whose intake keeps being lost
 * or failing is not retried for ever: it goes to the quarantine, where reps
 * see it and can release it.
 */
import type { JobState as QueuedJobState } from 'bullmq';
import type { MessageState } from '../store/message-store.js';

/** What BullMQ's getJobState answers: a job's state, or 'unknown' for one that is not there (lost, or removed). */
export type JobState = QueuedJobState | 'unknown';

/** Resumes before a message goes to the quarantine. */
export const MAX_INTAKE_RESUMES = 5;

export interface PendingIntakeFacts {
  /** The message's state; undefined when it is gone (retention). */
  state: MessageState | undefined;
  /** The states of its intake jobs: the ingester's and the latest release's or resume's. */
  jobs: JobState[];
  /** How often the sweep resumed it already. */
  resumes: number;
}

export type PendingIntakeAction =
  /** It ended (or is gone): it is no longer awaited. */
  | { type: 'forget' }
  /** A job of it is still queued or running: leave it. */
  | { type: 'wait' }
  /** No job will ever run it: queue it again. */
  | { type: 'resume' }
  /** Resumed MAX_INTAKE_RESUMES times already: to the quarantine for a rep. */
  | { type: 'quarantine'; tries: number };

const LIVE: ReadonlySet<JobState> = new Set(['delayed', 'active', 'waiting', 'waiting-children', 'prioritized']);

export function pendingIntakeAction(f: PendingIntakeFacts): PendingIntakeAction {
  if (f.state !== 'stored') return { type: 'forget' };
  if (f.jobs.some((s) => LIVE.has(s))) return { type: 'wait' };
  if (f.resumes >= MAX_INTAKE_RESUMES) {
    return { type: 'quarantine', tries: f.resumes + 1 };
  }
  return { type: 'resume' };
}
