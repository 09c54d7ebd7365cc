/**
 * TLS as the connection URLs ask for it: a plain imap:// or smtp:// URL
 * requires STARTTLS unless it says ?tls=optional, and rediss-sentinel://
 * speaks TLS to the Sentinels and the servers they name.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { errors } from '../../lib/errors.js';
import { parseRedisUrl, sentinelClientOptions } from '../../lib/redis-url.js';
import { imapTlsOptions, parseImapUrl } from '../../workers/ingest/imap-url.js';
import { smtpPoolOptions, smtpTlsFailure } from '../../workers/notify/smtp-url.js';

describe('IMAP and SMTP URLs: STARTTLS required unless ?tls=optional (plaintext fallback)', () => {
  it('a plain imap:// URL requires STARTTLS; ?tls=optional allows plaintext; imaps:// is TLS from the start', () => {
    const plain = parseImapUrl('imap://desk%40x.example:pw@imap.example:143/INBOX');
    expect([plain.tls, plain.secure, plain.mailbox, plain.user]).toEqual([
      'starttls',
      false,
      'INBOX',
      'desk@x.example',
    ]);
    expect(imapTlsOptions(plain)).toEqual({ secure: false, doSTARTTLS: true });
    const optional = parseImapUrl('imap://desk:pw@127.0.0.1:1143/Shared%20Box?tls=optional');
    expect([optional.tls, optional.mailbox, optional.port]).toEqual(['starttls-optional', 'Shared Box', 1143]);
    expect(imapTlsOptions(optional)).toEqual({ secure: false });
    const implicit = parseImapUrl('imaps://desk:pw@imap.example/INBOX');
    expect([implicit.tls, implicit.port]).toEqual(['implicit', 993]);
    expect(imapTlsOptions(implicit)).toEqual({ secure: true });
  });

  it('a plain smtp:// URL asks nodemailer for requireTLS; ?tls=optional does not, and is not passed on', () => {
    expect(smtpPoolOptions('smtp://u:p@smtp.example:587', 3)).toEqual({
      url: 'smtp://u:p@smtp.example:587',
      pool: true,
      maxConnections: 3,
      requireTLS: true,
    });
    const optional = smtpPoolOptions('smtp://127.0.0.1:2525?tls=optional', 2);
    expect(optional).toEqual({ url: 'smtp://127.0.0.1:2525', pool: true, maxConnections: 2 });
    expect(smtpPoolOptions('smtps://u:p@smtp.example:465', 1)).not.toHaveProperty('requireTLS');
  });

  it('a STARTTLS nodemailer could not do on a plain smtp:// URL is E_TLS_REQUIRED (tried again), other errors stay as they were', () => {
    const etls = Object.assign(new Error('Error upgrading connection with STARTTLS'), {
      code: 'ETLS',
      responseCode: 502,
    });
    const e = smtpTlsFailure(etls, 'smtp://u:p@smtp.example:2525') as Error & { code: string; responseCode?: number };
    expect(e.code).toBe('E_TLS_REQUIRED');
    expect(e.message).toContain('smtp.example:2525');
    expect(e.message).toContain('?tls=optional');
    expect(e.message).toContain('LICENSEDESK_SMTP_URL');
    expect(e.responseCode).toBeUndefined(); // not a 5xx refusal of the mail
    expect(smtpTlsFailure(etls, 'smtp://127.0.0.1:2525?tls=optional')).toBe(etls);
    const other = Object.assign(new Error('550 no such user'), { responseCode: 550 });
    expect(smtpTlsFailure(other, 'smtp://u:p@smtp.example:2525')).toBe(other);
    expect(errors.E_TLS_REQUIRED('a', 'b', 'imap://', 'LICENSEDESK_IMAP_URL').message).toMatch(/^E_TLS_REQUIRED: /);
  });

  it.each([
    ['LICENSEDESK_IMAP_URL', 'imap://u:p@h/INBOX?tls=off', 'takes one value, optional'],
    ['LICENSEDESK_IMAP_URL', 'imaps://u:p@h/INBOX?tls=optional', 'plain imap:// URLs only'],
    ['LICENSEDESK_SMTP_URL', 'smtp://h:25?tls=optional&tls=optional', 'takes one value, optional'],
    ['LICENSEDESK_SMTP_URL', 'smtps://h:465?tls=optional', 'plain smtp:// URLs only'],
  ])('the configuration refuses %s=%s', (name, value, words) => {
    expect(() => loadConfig({ [name]: value })).toThrow(words);
  });

  it('the configuration takes plain, optional and TLS URLs as they are', () => {
    const c = loadConfig({
      LICENSEDESK_IMAP_URL: 'imap://u:p@h/INBOX?tls=optional',
      LICENSEDESK_SMTP_URL: 'smtp://h:25',
    });
    expect([c.imapUrl, c.smtpUrl]).toEqual(['imap://u:p@h/INBOX?tls=optional', 'smtp://h:25']);
  });
});

describe('rediss-sentinel:// (a Sentinel URL with TLS)', () => {
  it('parses into TLS to the Sentinels and to the master and replicas they name', () => {
    const t = parseRedisUrl('rediss-sentinel://:se%40cret@s1.example:26380,s2.example/ldmaster');
    expect(t).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1.example', port: 26380 },
        { host: 's2.example', port: 26379 },
      ],
      name: 'ldmaster',
      password: 'se@cret',
      tls: true,
    });
    if (t.kind !== 'sentinel') throw new Error('not a sentinel target');
    const o = sentinelClientOptions(t);
    expect(o).toMatchObject({
      sentinels: t.sentinels,
      name: 'ldmaster',
      password: 'se@cret',
      tls: {},
      sentinelTLS: {},
      enableTLSForSentinelMode: true,
      failoverDetector: true,
    });
  });

  it('redis-sentinel:// stays plaintext, and both need the master name', () => {
    const t = parseRedisUrl('redis-sentinel://s1:26379/mymaster');
    expect(t).toMatchObject({ kind: 'sentinel', tls: false });
    if (t.kind !== 'sentinel') throw new Error('not a sentinel target');
    const o = sentinelClientOptions(t, 'worker');
    expect(o).not.toHaveProperty('tls');
    expect(o).not.toHaveProperty('sentinelTLS');
    expect(o).not.toHaveProperty('enableTLSForSentinelMode');
    expect(() => parseRedisUrl('rediss-sentinel://s1:26379')).toThrow('rediss-sentinel:// needs the master name');
  });

  it('the configuration takes a rediss-sentinel:// URL', () => {
    expect(loadConfig({ LICENSEDESK_REDIS_URL: 'rediss-sentinel://:p@s1:26379,s2:26379/ldmaster' }).redisUrl).toBe(
      'rediss-sentinel://:p@s1:26379,s2:26379/ldmaster',
    );
  });
});
