/**
 * Opening a case (DSK-12): on the system the licenses move to, for the
 * partner whose end user owns it, in that system's program. One pure step
 * for every way a case is opened (the CLI, the API, the partner's page), so
 * a case opened any way is the same registry case an import would hold.
 */
import type { RegistryCase, System, EndUser } from '../domain/registry-model.js';
import { CODES, type ErrorCode } from '../lib/errors.js';

export interface OpenCaseInput {
  systemKey: string;
  /** When given, must be the partner whose end user owns the system. */
  partnerId?: string;
  softwareOnlyUpgrade?: boolean;
}

export type OpenCaseOutcome = { ok: true; case: RegistryCase } | { ok: false; code: ErrorCode; args: string[] };

/** `system` and its end user as the registry has them now (undefined: not there). */
export function openCaseStep(
  input: OpenCaseInput,
  found: { system?: System; endUser?: EndUser; disabled: boolean },
  number: string,
  now: Date,
): OpenCaseOutcome {
  const { system, endUser } = found;
  if (!system || !endUser) return { ok: false, code: CODES.E_SYSTEM_UNKNOWN, args: [input.systemKey] };
  if (input.partnerId !== undefined && input.partnerId !== endUser.partnerId)
    return { ok: false, code: CODES.E_CASE_PARTNER, args: [system.key, input.partnerId] };
  if (found.disabled) return { ok: false, code: CODES.E_SYSTEM_DISABLED, args: [system.key] };
  return {
    ok: true,
    case: {
      number,
      partnerId: endUser.partnerId,
      systemKey: system.key,
      program: system.program,
      openedAt: now.toISOString(),
      ...(input.softwareOnlyUpgrade ? { softwareOnlyUpgrade: true } : {}),
    },
  };
}
