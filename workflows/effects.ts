/**
 * What a workflow step asks the outside world to do. Workflow functions are
 * pure and return these; workers/effects.ts carries them out.
 */
import type { MailKind } from '../mail/mail-kinds.js';

export type Recipient = 'partner' | 'reps' | 'sales';

export type Effect =
  | { type: 'mail'; kind: MailKind; to: Recipient; step: string; data: Record<string, unknown> }
  | { type: 'transfer' }
  | { type: 'schedule-deadlines' }
  | { type: 'cancel-deadlines' };
