/** ALT-8: licenses are moved within 24 hours of receipt of the complete forms. */
import { info, type Finding } from '../../finding.js';

export const MOVE_WITHIN_MS = 24 * 3600_000;

/** completeAt + 24 h. */
export const moveDeadline = (completeAt: Date): Date => new Date(completeAt.getTime() + MOVE_WITHIN_MS);

export function deadlineFinding(completeAt: Date): Finding {
  return info(
    'ALT-8',
    `The forms were complete at ${completeAt.toISOString()}; the licenses will be moved by ${moveDeadline(completeAt).toISOString()} (within 24 hours).`,
  );
}
