/** LICENSEDESK_FAKE_NOW moves the desk's clock, so a production desk refuses it. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';

const FAKE = '2025-06-15T10:00:00Z';

describe('LICENSEDESK_FAKE_NOW', () => {
  it('is refused when NODE_ENV=production, naming the variable (E_CONFIG_INVALID)', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', LICENSEDESK_FAKE_NOW: FAKE })).toThrow(
      /E_CONFIG_INVALID[\s\S]*LICENSEDESK_FAKE_NOW[\s\S]*production/,
    );
  });

  it('is taken in tests, demos and development', () => {
    for (const NODE_ENV of [undefined, 'test', 'development']) {
      expect(
        loadConfig({ ...(NODE_ENV ? { NODE_ENV } : {}), LICENSEDESK_FAKE_NOW: FAKE }).fakeNow,
        String(NODE_ENV),
      ).toBe(FAKE);
    }
  });

  it('a production desk without it starts as before', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).fakeNow).toBeUndefined();
  });
});
