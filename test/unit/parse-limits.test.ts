/**
 * The limits every parse of partner input runs under: the MIME
 * pool's time budget, heap and OS address-space limit and bounded text; the
 * PDF reader's counted inflate budget; the time budget per message. Real
 * child processes: runs the compiled dist/, so run `npm run build` first.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDefaultParserPool, readPdfIsolated } from '../../forms/pdf-read-client.js';
import { ParserPool } from '../../forms/pdf-read-pool.js';
import { DEFAULT_PARSE_CHILD_MEMORY_MB, parseChildMemoryMb } from '../../lib/isolation/memory-limit.js';
import { htmlToBoundedText } from '../../mail/html-text.js';
import { MAX_TEXT_CHARS } from '../../mail/mail-lite.js';
import { MimePool } from '../../mail/mime-parse-pool.js';
import { closeDefaultMimePool, parseMailIsolated } from '../../mail/mime-parse-client.js';
import { MessageParseBudget } from '../../workers/intake/parse-budget.js';
import { inflateBomb } from '../fixtures/forms/bad-pdfs.js';

const pools: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await closeDefaultMimePool();
  await closeDefaultParserPool();
});

const mail = (headers: string[], body: string): Buffer => Buffer.from([...headers, '', body, ''].join('\r\n'));

/** Address-space limit and peak RSS of a process, from /proc. */
function procMemory(pid: number): { limit: number; hwmBytes: number } {
  const limit = /Max address space\s+(\S+)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))?.[1];
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { limit: limit === 'unlimited' ? Infinity : Number(limit), hwmBytes: hwm * 1024 };
}

describe('MIME parsing in a child (parseMailIsolated)', () => {
  it('returns what intake reads: headers, ids, bounded text, PDFs as Buffers (also from a forwarded message), attachment names without their content', async () => {
    const pdf = Buffer.from('%PDF-1.7\n%%EOF\n');
    const inner = mail(
      [
        'From: colleague@acme.example',
        'Subject: forms',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="i"',
      ],
      [
        '--i',
        'Content-Type: application/pdf; name="fwd.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        pdf.toString('base64'),
        '--i--',
      ].join('\r\n'),
    );
    const raw = mail(
      [
        'From: Ops <ops@acme.example>',
        'To: desk@desk.test',
        'Subject: Case 200001',
        'Message-ID: <m1@acme.example>',
        'In-Reply-To: <ld.1@desk>',
        'References: <ld.0@desk> <ld.1@desk>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="o"',
      ],
      [
        '--o',
        'Content-Type: text/plain',
        '',
        'please refund',
        '--o',
        'Content-Type: application/pdf; name="a.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        pdf.toString('base64'),
        '--o',
        'Content-Type: application/zip; name="big.zip"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.alloc(300_000, 7).toString('base64'),
        '--o',
        'Content-Type: message/rfc822; name="fwd.eml"',
        '',
        inner.toString(),
        '--o--',
      ].join('\r\n'),
    );
    const r = await parseMailIsolated(raw);
    if (!r.ok) throw new Error(r.error.message);
    const m = r.mail;
    expect(m.from?.value[0]?.address).toBe('ops@acme.example');
    expect([m.subject, m.messageId, m.inReplyTo]).toEqual(['Case 200001', '<m1@acme.example>', '<ld.1@desk>']);
    expect(m.references).toEqual(['<ld.0@desk>', '<ld.1@desk>']);
    expect(m.text).toContain('please refund');
    expect(m.headers.get('subject')).toBe('Case 200001');
    expect(m.headerLines.some((h) => h.key === 'message-id')).toBe(true);
    expect(m.parts.pdfs.map((p) => [p.filename, p.via, Buffer.isBuffer(p.content) && p.content.equals(pdf)])).toEqual([
      ['a.pdf', 'attachment', true],
      ['fwd.pdf', 'forwarded', true],
    ]);
    const zip = m.attachments.find((a) => a.filename === 'big.zip')!;
    expect(zip.size).toBe(300_000);
    expect(zip.content.length).toBe(0);
  });

  it('a 4 MB HTML table is tag-stripped within its bound in the child, not rendered: seconds at most, text bounded', async () => {
    const rows = Array.from({ length: 70_000 }, (_, i) => `<tr><td>line ${i}</td><td>LK-${i}</td></tr>`).join('\n');
    const raw = mail(
      ['From: ops@acme.example', 'Subject: Case 1', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8'],
      `<p>Please refund</p><table>${rows}</table>`,
    );
    expect(raw.length).toBeGreaterThan(3_000_000);
    const t = performance.now();
    const r = await parseMailIsolated(raw);
    expect(performance.now() - t).toBeLessThan(8000);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.mail.text).toMatch(/^Please refund/);
    expect(r.mail.text!.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
  });

  it('a parse over its budget is E_MAIL_TIMEOUT; that child is killed and replaced, and the next mail is parsed', async () => {
    const pool = new MimePool({ size: 1 });
    pools.push(pool);
    await pool.parse(mail(['Subject: warm-up'], 'x'), 10_000);
    const [first] = pool.pids;
    const big = mail(
      ['Subject: big', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="o"'],
      [
        '--o',
        'Content-Type: application/zip; name="z.zip"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.alloc(15_000_000, 3).toString('base64'),
        '--o--',
      ].join('\r\n'),
    );
    const r = await pool.parse(big, 20);
    expect(r.ok ? 'ok' : r.error.code).toBe('E_MAIL_TIMEOUT');
    expect(r.ok ? '' : r.error.message).toMatch(/over 0\.02 seconds/);
    const next = await pool.parse(mail(['Subject: next'], 'fine'), 10_000);
    expect(next.ok && next.mail.subject).toBe('next');
    expect(pool.pids).not.toContain(first);
  });

  it('a child that runs out of memory is E_MAIL_TOO_LARGE and is replaced', async () => {
    const pool = new MimePool({ size: 1, maxOldSpaceMb: 16 });
    pools.push(pool);
    const text = Array.from({ length: 400_000 }, (_, i) => `line ${i} of a long text body`).join('\r\n');
    const r = await pool.parse(mail(['Subject: huge', 'Content-Type: text/plain'], text), 30_000);
    expect(r.ok ? 'ok' : r.error.code).toBe('E_MAIL_TOO_LARGE');
    const next = await pool.parse(mail(['Subject: small'], 'ok'), 10_000);
    expect(next.ok && next.mail.subject).toBe('small');
  });

  it('DSK-6 a mail whose MIME child is SIGKILLed from outside is parsed again in a fresh child, not answered as unreadable', async () => {
    const pool = new MimePool({ size: 1 });
    pools.push(pool);
    await pool.parse(mail(['Subject: warm-up'], 'x'), 10_000);
    const [first] = pool.pids;
    const big = mail(
      ['Subject: killed mid-parse', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="o"'],
      [
        '--o',
        'Content-Type: application/zip; name="z.zip"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.alloc(15_000_000, 3).toString('base64'),
        '--o--',
      ].join('\r\n'),
    );
    const parsing = pool.parse(big, 30_000);
    await new Promise((r) => setTimeout(r, 30));
    process.kill(first!, 'SIGKILL');
    const r = await parsing;
    expect(r.ok ? r.mail.subject : r.error.code).toBe('killed mid-parse');
    expect(pool.pids).not.toContain(first);
  }, 40_000);

  it('MIME nested 5000 deep is E_MAIL_UNREADABLE, not a crash of the caller', async () => {
    let body = 'Content-Type: text/plain\r\n\r\ninner\r\n';
    for (let i = 0; i < 5000; i++)
      body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}\r\n--b${i}--\r\n`;
    const r = await parseMailIsolated(Buffer.from(`Subject: deep\r\nMIME-Version: 1.0\r\n${body}`));
    expect(r.ok ? 'ok' : r.error.code).toBe('E_MAIL_UNREADABLE');
  });

  it('every MIME child runs under the OS address-space limit', async () => {
    const pool = new MimePool({ size: 1 });
    pools.push(pool);
    await pool.parse(mail(['Subject: x'], 'x'), 10_000);
    expect(parseChildMemoryMb()).toBe(DEFAULT_PARSE_CHILD_MEMORY_MB);
    for (const pid of pool.pids) expect(procMemory(pid).limit).toBe(DEFAULT_PARSE_CHILD_MEMORY_MB * 1024 * 1024);
  });
});

describe('text of HTML-only mail (html-text.ts)', () => {
  it('SWP-9 words survive: script, style and head are left out, entities decoded, cells and blocks separated', () => {
    const text = htmlToBoundedText(
      '<html><head><title>t</title><style>p{}</style></head><body><p>Please&nbsp;refund &amp; undo</p><table><tr><td>LK-1</td><td>SYS-2</td></tr></table><script>x()</script></body></html>',
      1000,
    );
    expect(text).toBe('Please refund & undo\n\nLK-1 SYS-2');
  });

  it('is linear: a megabyte of unclosed tags that a backtracking tag strip takes seconds on is done in well under a second each', () => {
    for (const html of ['<style x'.repeat(131_072), '<'.repeat(1 << 20), '<a href="'.repeat(100_000)]) {
      const t = performance.now();
      const text = htmlToBoundedText(html, MAX_TEXT_CHARS);
      expect(performance.now() - t, html.slice(0, 10)).toBeLessThan(1500);
      expect(text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    }
  });
});

describe('PDF children: OS memory limit and counted inflate budget', () => {
  it('a PDF whose streams inflate to 4 GiB is E_PDF_TOO_LARGE within seconds, and its child never passes its limit', async () => {
    const pool = new ParserPool({ size: 1 });
    pools.push(pool);
    const bomb = inflateBomb(4);
    expect(bomb.byteLength).toBeLessThan(6 * 1024 * 1024);
    let peak = 0;
    let limit = 0;
    const sampler = setInterval(() => {
      for (const pid of pool.stats.pids) {
        try {
          const m = procMemory(pid);
          peak = Math.max(peak, m.hwmBytes);
          limit = m.limit;
        } catch {
          /* ended */
        }
      }
    }, 10);
    const t = performance.now();
    const r = await pool.read(bomb);
    clearInterval(sampler);
    expect(r.ok ? 'ok' : r.error.code).toBe('E_PDF_TOO_LARGE');
    expect(performance.now() - t).toBeLessThan(10_000);
    for (const pid of pool.stats.pids) peak = Math.max(peak, procMemory(pid).hwmBytes);
    expect(limit).toBe(DEFAULT_PARSE_CHILD_MEMORY_MB * 1024 * 1024);
    expect(peak).toBeGreaterThan(0);
    // The inflate budget (128 MB) stops it long before the OS limit would.
    expect(peak).toBeLessThan(512 * 1024 * 1024);
  });

  it('the next PDF after a bomb in the same child is read normally', async () => {
    const r = await readPdfIsolated(inflateBomb(1));
    expect(r.ok ? 'ok' : r.error.code).toBe('E_PDF_TOO_LARGE');
    const again = await readPdfIsolated(new Uint8Array(Buffer.from('%PDF-1.7\n1 0 obj <</Type /Catalog')));
    expect(again.ok ? 'ok' : again.error.code).toBe('E_PDF_CORRUPT');
  });
});

describe('time budget per message', () => {
  it('PDFs left when the message budget has run out are E_PDF_TIMEOUT, saying so', async () => {
    const budget = new MessageParseBudget(0.01);
    await new Promise((r) => setTimeout(r, 30));
    expect(budget.remainingMs()).toBe(0);
    const r = await budget.readPdf(inflateBomb(0.01));
    expect(r.ok ? 'ok' : r.error.code).toBe('E_PDF_TIMEOUT');
    expect(r.ok ? '' : r.error.message).toMatch(/over 0\.01 seconds to read altogether/);
  });
});
