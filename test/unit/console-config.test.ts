/** The console's own settings and the small pure pieces its guards rely on. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { countdown } from '../../console/case-view.js';
import { safeNext } from '../../console/login-routes.js';

describe('console configuration', () => {
  it('takes a public origin and keeps only scheme, host and port', () => {
    expect(loadConfig({}).consoleOrigin).toBeUndefined();
    expect(loadConfig({ LICENSEDESK_CONSOLE_ORIGIN: 'https://desk.example.com' }).consoleOrigin).toBe(
      'https://desk.example.com',
    );
    expect(loadConfig({ LICENSEDESK_CONSOLE_ORIGIN: 'https://desk.example.com/' }).consoleOrigin).toBe(
      'https://desk.example.com',
    );
    expect(loadConfig({ LICENSEDESK_CONSOLE_ORIGIN: 'http://127.0.0.1:9000' }).consoleOrigin).toBe(
      'http://127.0.0.1:9000',
    );
  });

  it('refuses an origin with a path or another scheme, naming the variable (E_CONFIG_INVALID)', () => {
    expect(() => loadConfig({ LICENSEDESK_CONSOLE_ORIGIN: 'https://desk.example.com/console' })).toThrow(
      /E_CONFIG_INVALID[\s\S]*LICENSEDESK_CONSOLE_ORIGIN/,
    );
    expect(() => loadConfig({ LICENSEDESK_CONSOLE_ORIGIN: 'ftp://desk.example.com' })).toThrow(
      /LICENSEDESK_CONSOLE_ORIGIN/,
    );
    expect(() => loadConfig({ LICENSEDESK_CONSOLE_ORIGIN: 'desk.example.com' })).toThrow(/LICENSEDESK_CONSOLE_ORIGIN/);
  });

  it('refuses a metrics token too short to resist guessing', () => {
    expect(() => loadConfig({ LICENSEDESK_METRICS_TOKEN: 'short' })).toThrow(/LICENSEDESK_METRICS_TOKEN/);
    expect(loadConfig({ LICENSEDESK_METRICS_TOKEN: 'a-long-enough-token-123' }).metricsToken).toBe(
      'a-long-enough-token-123',
    );
  });
});

describe('after sign-in the console goes only to its own pages', () => {
  it('keeps a local path and its query', () => {
    expect(safeNext('/cases/300001')).toBe('/cases/300001');
    expect(safeNext('/?q=SYS-0002&state=held')).toBe('/?q=SYS-0002&state=held');
  });

  it('refuses other sites, protocol-relative and backslash tricks, and the sign-in page itself', () => {
    for (const bad of [
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
      '/login?next=/',
      '',
      undefined,
    ]) {
      expect(safeNext(bad), String(bad)).toBe('/');
    }
  });
});

describe('ALT-8 countdown words', () => {
  it('says the time left or how long overdue', () => {
    expect(countdown(5 * 3600_000 + 12 * 60_000)).toBe('5 h 12 min left');
    expect(countdown(42 * 60_000)).toBe('42 min left');
    expect(countdown(-(2 * 3600_000 + 3 * 60_000))).toBe('overdue by 2 h 3 min');
  });
});
