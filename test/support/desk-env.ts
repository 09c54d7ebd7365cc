/**
 * The environment of a desk under test (config/config.ts): the servers the
 * test started, the addresses and settings most tests share, and the test's
 * own overrides on top. An override of `undefined` leaves that variable
 * unset, so the desk takes its built-in default (or has none, as with no
 * secret or no sales address).
 */

/** Where tests that ship physical keys back send them (LICENSEDESK_WAREHOUSE_ADDRESS, not set unless asked). */
export const WAREHOUSE_ADDRESS = 'returns@warehouse.test';

export interface DeskServers {
  redisUrl: string;
  /** The desk's mailbox (e.g. dovecot.imapUrl(user)); left unset when not given. */
  imapUrl?: string;
  /** Left unset when not given. */
  smtpUrl?: string;
}

const DEFAULTS: Record<string, string> = {
  LICENSEDESK_DESK_ADDRESS: 'desk@desk.test',
  LICENSEDESK_REPS_ADDRESS: 'reps@desk.test',
  LICENSEDESK_SALES_ADDRESS: 'sales@desk.test',
  LICENSEDESK_HTTP_PORT: '0',
  LICENSEDESK_SECRET: 'test-secret-0123456789abcdef',
  // Generous, so a test's many mails from one partner are all answered; the desk's own default is 5.
  LICENSEDESK_REPLY_LIMIT_PER_HOUR: '50',
};

/**
 * Overrides that drop every default but the secret, for a desk that handles no mail: no addresses, no HTTP
 * port, no reply limit. Spread it first in the overrides.
 */
export const SECRET_ONLY: Record<string, undefined> = Object.fromEntries(
  Object.keys(DEFAULTS)
    .filter((key) => key !== 'LICENSEDESK_SECRET')
    .map((key) => [key, undefined]),
);

export function deskEnv(
  servers: DeskServers,
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const merged: Record<string, string | undefined> = {
    LICENSEDESK_REDIS_URL: servers.redisUrl,
    LICENSEDESK_IMAP_URL: servers.imapUrl,
    LICENSEDESK_SMTP_URL: servers.smtpUrl,
    ...DEFAULTS,
    ...overrides,
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(merged)) if (value !== undefined) env[key] = value;
  return env;
}
