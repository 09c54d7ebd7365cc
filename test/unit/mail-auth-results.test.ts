/**
 * DSK-3 with LICENSEDESK_AUTHSERV_ID: the sender is believed only on the
 * trusted host's topmost Authentication-Results. Messages are real RFC 5322
 * text parsed by mailparser, so folding and header order are as they arrive.
 */
import { describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import {
  headerFields,
  parseAuthenticationResults,
  relaxedAligned,
  senderAuthentication,
} from '../../mail/auth-results.js';

const TRUSTED = 'mx.desk.example';
const FROM = 'pat@acme.example';

/** A raw message whose header block starts with `top` (each entry one header, folding allowed). */
function raw(top: string[], from = `Pat Partner <${FROM}>`): string {
  return [
    ...top,
    `From: ${from}`,
    'To: desk@desk.example',
    'Subject: Case 123456 forms',
    'Message-ID: <m1@acme.example>',
    'Date: Mon, 2 Mar 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Forms attached.',
    '',
  ].join('\r\n');
}

async function verdict(top: string[], opts: { from?: string; authservId?: string } = {}) {
  const mail = await simpleParser(raw(top, opts.from));
  return senderAuthentication(headerFields(mail), {
    authservId: opts.authservId ?? TRUSTED,
    fromAddress: mail.from?.value[0]?.address ?? '',
  });
}

describe('DSK-3 Authentication-Results: which header is trusted', () => {
  it('DSK-3 trusts the topmost header of the trusted host and ignores a forged lower one with the same authserv-id', async () => {
    const v = await verdict([
      'Authentication-Results: mx.desk.example;',
      '\tdmarc=fail (p=reject dis=none) header.from=acme.example;',
      '\tspf=fail smtp.mailfrom=evil.example',
      'Received: from evil.example by mx.desk.example',
      'Authentication-Results: mx.desk.example; dmarc=pass header.from=acme.example',
    ]);
    expect(v).toEqual({ ok: false, reason: 'dmarc=fail for acme.example' });
  });

  it('DSK-3 a forged header below the trusted one cannot add a pass the trusted host did not see', async () => {
    const v = await verdict([
      'Authentication-Results: mx.desk.example; spf=none smtp.mailfrom=acme.example',
      'Authentication-Results: mx.desk.example; dkim=pass header.d=acme.example',
    ]);
    expect(v.ok).toBe(false);
    expect(v.reason).toContain('spf=none for acme.example');
  });

  it('DSK-3 a pass from another authserv-id is not believed', async () => {
    const v = await verdict([
      'Authentication-Results: mx.other.example; dmarc=pass header.from=acme.example',
      'Authentication-Results: mx.desk.example.attacker.example; dmarc=pass header.from=acme.example',
    ]);
    expect(v).toEqual({ ok: false, reason: 'no Authentication-Results from mx.desk.example' });
  });

  it('DSK-3 the configured authserv-id is compared case-insensitively, a trailing dot ignored', async () => {
    const v = await verdict(['Authentication-Results: MX.Desk.Example.; dmarc=pass header.from=acme.example'], {
      authservId: 'mx.DESK.example',
    });
    expect(v).toMatchObject({ ok: true, method: 'dmarc' });
  });

  it('DSK-3 a header without any authserv-id (Exchange Online style) is never the trusted one', async () => {
    const v = await verdict([
      'Authentication-Results: spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=acme.example; dmarc=pass action=none header.from=acme.example',
    ]);
    expect(v.ok).toBe(false);
    expect(v.reason).toBe('no Authentication-Results from mx.desk.example');
  });

  it('DSK-3 ARC-Authentication-Results is not Authentication-Results', async () => {
    const v = await verdict(['ARC-Authentication-Results: i=1; mx.desk.example; dmarc=pass header.from=acme.example']);
    expect(v.ok).toBe(false);
  });
});

describe('DSK-3 Authentication-Results: the verdict on the From domain', () => {
  it('DSK-3 dmarc=pass aligned with the From domain passes', async () => {
    const v = await verdict([
      'Authentication-Results: mx.desk.example 1;',
      ' dkim=pass (2048-bit key; unprotected) header.d=acme.example header.i=@acme.example header.b="AbCdEf12";',
      ' spf=pass (mx.desk.example: domain of bounces@acme.example designates 192.0.2.1 as permitted sender) smtp.mailfrom=bounces@acme.example;',
      ' dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=acme.example',
    ]);
    expect(v).toEqual({ ok: true, method: 'dmarc', reason: 'dmarc=pass for acme.example' });
  });

  it('DSK-3 dmarc=pass for another header.from does not pass this From', async () => {
    const v = await verdict(['Authentication-Results: mx.desk.example; dmarc=pass header.from=evil.example']);
    expect(v.ok).toBe(false);
    expect(v.reason).toContain('dmarc=pass for evil.example');
  });

  it('DSK-3 spf=pass for another domain than the From domain fails', async () => {
    const v = await verdict([
      'Authentication-Results: mx.desk.example; spf=pass smtp.mailfrom=user@mailer.evil.example; dkim=none',
    ]);
    expect(v).toEqual({
      ok: false,
      reason:
        'no passing dmarc, spf or dkim result for acme.example from mx.desk.example (spf=pass for mailer.evil.example, dkim=none)',
    });
  });

  it('DSK-3 spf=pass for the From domain passes', async () => {
    const v = await verdict(['Authentication-Results: mx.desk.example; spf=pass smtp.mailfrom="pat@acme.example"']);
    expect(v).toMatchObject({ ok: true, method: 'spf' });
  });

  it('DSK-3 dkim=pass from an organisational subdomain aligns (relaxed)', async () => {
    const v = await verdict([
      'Authentication-Results: mx.desk.example; dkim=pass header.d=mail.acme.example header.s=sel1; spf=softfail smtp.mailfrom=acme.example',
    ]);
    expect(v).toEqual({
      ok: true,
      method: 'dkim',
      reason: 'dkim=pass for mail.acme.example, aligned with acme.example',
    });
  });

  it('DSK-3 dkim=pass with only header.i uses its domain', async () => {
    const v = await verdict(['Authentication-Results: mx.desk.example; dkim=pass header.i=sales@acme.example'], {
      from: 'pat@eu.acme.example',
    });
    expect(v).toMatchObject({ ok: true, method: 'dkim' });
  });

  it('DSK-3 dkim=pass of a look-alike domain does not align; one of a sibling subdomain (same organisational domain) does', async () => {
    expect((await verdict(['Authentication-Results: mx.desk.example; dkim=pass header.d=evil-acme.example'])).ok).toBe(
      false,
    );
    expect(
      (await verdict(['Authentication-Results: mx.desk.example; dkim=pass header.d=acme.example.evil.example'])).ok,
    ).toBe(false);
    expect(
      (
        await verdict(['Authentication-Results: mx.desk.example; dkim=pass header.d=b.acme.example'], {
          from: 'pat@a.acme.example',
        })
      ).ok,
    ).toBe(true);
    expect((await verdict(['Authentication-Results: mx.desk.example; dkim=pass header.d=example'])).ok).toBe(false);
  });

  it('DSK-3 dkim=fail or neutral never passes, even with the right domain', async () => {
    const v = await verdict([
      'Authentication-Results: mx.desk.example; dkim=fail reason="signature verification failed" header.d=acme.example; dkim=neutral header.d=acme.example',
    ]);
    expect(v.ok).toBe(false);
    expect(v.reason).toContain('dkim=fail for acme.example');
  });

  it('DSK-3 dmarc=fail for the From domain is final even beside a dkim pass', async () => {
    const v = await verdict([
      'Authentication-Results: mx.desk.example; dkim=pass header.d=sub.acme.example; dmarc=fail (p=reject adkim=s) header.from=acme.example',
    ]);
    expect(v).toEqual({ ok: false, reason: 'dmarc=fail for acme.example' });
  });

  it('DSK-3 "none" is no authentication', async () => {
    const v = await verdict(['Authentication-Results: mx.desk.example 1; none']);
    expect(v).toEqual({ ok: false, reason: 'mx.desk.example checked nothing (none) for acme.example' });
  });

  it('DSK-3 a pass written inside a comment or a quoted reason is not a result', async () => {
    const v = await verdict([
      'Authentication-Results: mx.desk.example; spf=fail (dmarc=pass header.from=acme.example; dkim=pass header.d=acme.example)',
      '  smtp.mailfrom=acme.example; dkim=fail reason="x; dmarc=pass header.from=acme.example" header.d=acme.example',
    ]);
    expect(v.ok).toBe(false);
  });

  it('DSK-3 an internationalised From domain matches its punycode in the header', async () => {
    const v = await verdict(
      ['Authentication-Results: mx.desk.example; dmarc=pass header.from=xn--mnchen-3ya.example'],
      { from: 'pat@münchen.example' },
    );
    expect(v).toMatchObject({ ok: true, method: 'dmarc' });
  });

  it('DSK-3 no From address is never authenticated', () => {
    const v = senderAuthentication(
      [{ key: 'Authentication-Results', value: 'mx.desk.example; dmarc=pass header.from=acme.example' }],
      { authservId: TRUSTED, fromAddress: '' },
    );
    expect(v.ok).toBe(false);
  });
});

describe('RFC 8601 Authentication-Results parsing', () => {
  it('reads authserv-id, version, comments, quoted strings, method versions and properties', () => {
    const p = parseAuthenticationResults(
      'Authentication-Results: "mx.desk.example" (our MX) 1 ;\r\n\tauth=pass (cram-md5) smtp.auth=sender@acme.example;\r\n' +
        '\tdkim/1 = pass (good (nested) comment) header.d=acme.example header.b=ab=c/+d;\r\n\tiprev=pass policy.iprev=192.0.2.200',
    );
    expect(p.authservId).toBe('mx.desk.example');
    expect(p.version).toBe(1);
    expect(p.results).toEqual([
      { method: 'auth', result: 'pass', props: { 'smtp.auth': 'sender@acme.example' } },
      { method: 'dkim', result: 'pass', props: { 'header.d': 'acme.example', 'header.b': 'ab=c/+d' } },
      { method: 'iprev', result: 'pass', props: { 'policy.iprev': '192.0.2.200' } },
    ]);
  });

  it('keeps a reason and survives garbage', () => {
    const p = parseAuthenticationResults(
      'mx.desk.example; spf=fail reason="not permitted (really)" smtp.mailfrom=x@acme.example; ;; ===; junk',
    );
    expect(p.results[0]).toEqual({
      method: 'spf',
      result: 'fail',
      reason: 'not permitted (really)',
      props: { 'smtp.mailfrom': 'x@acme.example' },
    });
  });

  it('relaxed alignment is equality or a subdomain, never a bare TLD', () => {
    expect(relaxedAligned('mail.acme.example', 'acme.example')).toBe(true);
    expect(relaxedAligned('ACME.example.', 'acme.example')).toBe(true);
    expect(relaxedAligned('@acme.example', 'acme.example')).toBe(true);
    expect(relaxedAligned('notacme.example', 'acme.example')).toBe(false);
    expect(relaxedAligned('acme.example', 'example')).toBe(false);
    expect(relaxedAligned('', 'acme.example')).toBe(false);
  });

  it('DSK-3 DMARC relaxed alignment compares organisational domains by the Public Suffix List (siblings align, two registrations under one suffix never do)', () => {
    expect(relaxedAligned('a.example.co.uk', 'b.example.co.uk')).toBe(true);
    expect(relaxedAligned('mail.example.co.uk', 'example.co.uk')).toBe(true);
    expect(relaxedAligned('bounce.acme.example', 'sales.acme.example')).toBe(true);
    expect(relaxedAligned('example.co.uk', 'evil.co.uk')).toBe(false);
    expect(relaxedAligned('example.co.uk', 'co.uk')).toBe(false);
    // A shared-hosting parent is a (private) public suffix: its tenants are strangers to each other and to it.
    expect(relaxedAligned('foo.github.io', 'bar.github.io')).toBe(false);
    expect(relaxedAligned('foo.github.io', 'github.io')).toBe(false);
  });

  it('DSK-3 an SPF pass for a sibling of the From domain authenticates it; one for another registration under the same suffix does not', () => {
    const header = (mailfrom: string) => [
      { key: 'Authentication-Results', value: `mx.desk.example; spf=pass smtp.mailfrom=bounce@${mailfrom}` },
    ];
    const verdict = (mailfrom: string, from: string) =>
      senderAuthentication(header(mailfrom), { authservId: 'mx.desk.example', fromAddress: from });
    expect(verdict('bounce.example.co.uk', 'rep@sales.example.co.uk')).toMatchObject({ ok: true, method: 'spf' });
    expect(verdict('evil.co.uk', 'rep@example.co.uk').ok).toBe(false);
    expect(verdict('attacker.github.io', 'rep@victim.github.io').ok).toBe(false);
  });
});
