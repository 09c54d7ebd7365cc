/**
 * What the Audium rules read. Rules are pure functions of
 * (request, registry snapshot, clock): no I/O.
 */
import type { UninstallDeclarationForm } from '../../../forms/typed-forms.js';
import type { CaseRequest } from '../../case-request.js';

export interface AudiumRequest extends CaseRequest {
  /** The message's From address, lower-case. */
  sender: string;
}

/** What an Audium plan carries for the spine to keep (AUD-1, AUD-2). */
export interface AudiumDetails {
  /** AUD-2: the move completes only after this machine's reactivation. */
  requiresReactivationOf?: string;
  oldMachineId?: string;
  newMachineId?: string;
  reason?: MoveReason;
}

export const TRANSFER_FORM = 'license-transfer/v1' as const;
export const DECLARATION_FORM = 'uninstall-declaration/v1' as const;
export const AUDIUM_FORMS = [TRANSFER_FORM, DECLARATION_FORM] as const;

export type MoveReason = NonNullable<UninstallDeclarationForm['reason']>;
/** AUD-1: the only reasons a rep may move a machine's licenses for. */
export const MOVE_REASONS: readonly MoveReason[] = ['defective', 'obsolete', 'retired'];
export const isMoveReason = (r: unknown): r is MoveReason =>
  typeof r === 'string' && (MOVE_REASONS as readonly string[]).includes(r);
