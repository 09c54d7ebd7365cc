/** The console's own settings and the small pure pieces its guards rely on. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { countdown } from '../../console/case-view.js';
import { safeNext } from '../../console/login-routes.js';
import { originForm } from '../../console/console-security.js';
import { ACCOUNT_BACKOFF_MAX_MS, backoffMs, clientKey } from '../../store/user-store.js';

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

describe('LICENSEDESK_TRUSTED_PROXIES: whose X-Forwarded-For the console believes', () => {
  it('is loopback only unless set', () => {
    expect(loadConfig({}).trustedProxies).toEqual(['127.0.0.1', '::1']);
  });

  it('takes comma-separated addresses and CIDR ranges', () => {
    expect(
      loadConfig({ LICENSEDESK_TRUSTED_PROXIES: '10.0.0.5, 172.18.0.0/16,fd00::/8 , ::1' }).trustedProxies,
    ).toEqual(['10.0.0.5', '172.18.0.0/16', 'fd00::/8', '::1']);
  });

  it('refuses names, ranges proxy-addr would read loosely and bad prefixes, naming the variable (E_CONFIG_INVALID)', () => {
    for (const bad of [
      'loopback',
      'uniquelocal',
      'proxy.example',
      '10.0.0.0/33',
      '::/129',
      '10.0.0.1/8/2',
      '10.0.0',
      ',',
    ]) {
      expect(() => loadConfig({ LICENSEDESK_TRUSTED_PROXIES: bad }), bad).toThrow(
        /E_CONFIG_INVALID[\s\S]*LICENSEDESK_TRUSTED_PROXIES/,
      );
    }
  });
});

describe('sign-ins are counted per client', () => {
  it('an IPv4 client by its address, also IPv4-mapped; an IPv6 client by its /64', () => {
    expect(clientKey('203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0db8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });

  it("an account's backoff: none up to ten failures an hour, then 0.5 s doubling, never over 5 s", () => {
    expect(backoffMs(0)).toBe(0);
    expect(backoffMs(9)).toBe(0);
    expect(backoffMs(10)).toBe(500);
    expect(backoffMs(11)).toBe(1000);
    expect(backoffMs(1000)).toBe(ACCOUNT_BACKOFF_MAX_MS);
  });
});

describe('an absolute-form request target is routed by its path', () => {
  it('keeps origin-form as it is and takes path and query from an absolute URL', () => {
    expect(originForm({ url: '/%71ueues/api/queues?x=1' })).toBe('/%71ueues/api/queues?x=1');
    expect(originForm({ url: 'http://127.0.0.1:8080/queues/api/queues?x=1' })).toBe('/queues/api/queues?x=1');
    expect(originForm({ url: 'HTTP://desk.example/queues/../queues' })).toBe('/queues');
    expect(originForm({ url: 'http://desk.example' })).toBe('/');
    expect(originForm({ url: '*' })).toBe('*');
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
