/**
 * `start` runs only with LICENSEDESK_SECRET: a secret the desk made itself
 * would have to be kept where the sealed mail is (Redis), so any copy of
 * Redis could open everything.
 */
import type { DeskConfig } from '../config/config.js';
import { DeskError } from '../lib/errors.js';

export function requireSecret(config: DeskConfig): void {
  if (config.secret) return;
  throw new DeskError('E_CONFIG_INVALID', 'E_CONFIG_INVALID: LICENSEDESK_SECRET is not set; `start` needs it to seal stored mail and sign its Message-IDs (at least 16 characters, the same on every process of the desk, e.g. `openssl rand -base64 32`)');
}
