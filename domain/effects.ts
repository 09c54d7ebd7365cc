/**
 * What a workflow step asks the outside world to do. Workflow functions are
 * pure and return these; workers/desk/effects.ts carries them out.
 */
import type { MailKind } from '../mail/mail-kinds.js';

export type Recipient = 'partner' | 'reps' | 'sales' | { addresses: string[] };

export type Effect =
  | { type: 'mail'; kind: MailKind; to: Recipient; step: string; data: Record<string, unknown> }
  | { type: 'transfer' }
  /**
   * Review the case again (a mail added forms to it). `asOf`: the case's
   * `updatedAt` the review is asked for, when not the case as committed with
   * this effect (a retried intake finishing a merge made earlier).
   */
  | { type: 'review'; reason: string; asOf?: string }
  | { type: 'schedule-deadlines' }
  | { type: 'cancel-deadlines' }
  /** SWP-6: one delayed job per physical key, due when its return is. */
  | { type: 'schedule-key-followups' }
  | { type: 'cancel-key-followups' }
  /** DSK-10: the reminder and the closing of the case's current round of waiting for the partner. */
  | { type: 'schedule-partner-timers' }
  /** DSK-10: the partner wrote (or the case closed): its earlier rounds' timers go. */
  | { type: 'cancel-partner-timers' };
