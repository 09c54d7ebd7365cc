/**
 * What every program's rules read about a case: the registered case and the
 * forms received on it. Rules are pure functions of (request, registry
 * snapshot, clock): no I/O. A program that needs more extends it.
 */
import type { FieldProblem } from '../forms/types.js';
import type { CaseForms } from '../forms/typed-forms.js';
import type { RegistryCase } from './registry-model.js';

export interface CaseRequest {
  caseNumber: string;
  /** The case as registered; `systemKey` is the one it was opened with (DSK-2). */
  registryCase: RegistryCase;
  /** The latest form of each kind received on the case. */
  forms: CaseForms;
  /** Missing, invalid or ambiguous fields found while reading the forms. */
  formProblems: FieldProblem[];
  /** Security-code-like fields found and dropped by the reader. */
  discardedFields: string[];
}
