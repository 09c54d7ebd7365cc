/** The configuration an operator sets: defaults, overrides and the error that names a bad variable. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';

describe('configuration', () => {
  it('parses mail within twice the message limit by default, and follows a lower message limit', () => {
    expect(loadConfig({}).parseBudgetBytes).toBe(2 * 26_214_400);
    expect(loadConfig({ LICENSEDESK_MAX_MESSAGE_BYTES: '1048576' }).parseBudgetBytes).toBe(2 * 1_048_576);
  });

  it('takes an explicit parse budget', () => {
    expect(loadConfig({ LICENSEDESK_PARSE_BUDGET_BYTES: '104857600' }).parseBudgetBytes).toBe(104_857_600);
  });

  it('refuses a parse budget that is not a whole number of bytes, naming the variable (E_CONFIG_INVALID)', () => {
    expect(() => loadConfig({ LICENSEDESK_PARSE_BUDGET_BYTES: 'lots' })).toThrow(
      /E_CONFIG_INVALID[\s\S]*LICENSEDESK_PARSE_BUDGET_BYTES/,
    );
  });
});
