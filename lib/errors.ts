/**
 * Errors a user can look up: every one carries a stable code that the CLI
 * prints and the README lists.
 */
export type ErrorCode =
  | 'E_CONFIG_INVALID'
  | 'E_REGISTRY_INVALID'
  | 'E_REGISTRY_EMPTY'
  | 'E_CASE_NOT_FOUND'
  | 'E_CASE_STATE'
  | 'E_CASE_CONFLICT'
  | 'E_JOB_NOT_FOUND'
  | 'E_USAGE'
  | 'E_MOVE_CHECK_FAILED'
  | 'E_KEY_UNKNOWN'
  | 'E_NOT_IMPLEMENTED_PROGRAM'
  | 'E_DEMO_SETUP'
  | 'E_POOL_EXHAUSTED'
  | 'E_POOL_UNKNOWN'
  | 'E_MACHINE_UNKNOWN'
  | 'E_MESSAGE_NOT_QUARANTINED'
  | 'E_USER_EXISTS'
  | 'E_USER_NOT_FOUND'
  | 'E_PASSWORD_WEAK';

export class DeskError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly details: string[] = []) {
    super(message);
    this.name = 'DeskError';
  }
}

export const isDeskError = (e: unknown): e is DeskError => e instanceof DeskError;
