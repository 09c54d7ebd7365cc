/**
 * What the Audium rules read. Rules are pure functions of
 * (request, registry snapshot, clock): no I/O.
 */
import type { FieldProblem } from '../../forms/types.js';
import type { CaseForms, UninstallDeclarationForm } from '../../forms/typed-forms.js';
import type { RegistryCase } from '../../registry/schema.js';

export interface AudiumRequest {
  caseNumber: string;
  registryCase: RegistryCase;
  /** The latest form of each kind received on the case. */
  forms: CaseForms;
  /** Missing, invalid or ambiguous fields found while reading the forms. */
  formProblems: FieldProblem[];
  /** Security-code-like fields found and dropped by the reader. */
  discardedFields: string[];
  /** The message's From address, lower-case. */
  sender: string;
}

export const TRANSFER_FORM = 'license-transfer/v1' as const;
export const DECLARATION_FORM = 'uninstall-declaration/v1' as const;
export const AUDIUM_FORMS = [TRANSFER_FORM, DECLARATION_FORM] as const;

export type MoveReason = NonNullable<UninstallDeclarationForm['reason']>;
/** AUD-1: the only reasons a rep may move a machine's licenses for. */
export const MOVE_REASONS: readonly MoveReason[] = ['defective', 'obsolete', 'retired'];
export const isMoveReason = (r: unknown): r is MoveReason => typeof r === 'string' && (MOVE_REASONS as readonly string[]).includes(r);
