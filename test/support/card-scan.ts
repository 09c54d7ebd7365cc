/**
 * Scanners for card data tests (DSK-5, DSK-11): every key of Redis with sealed
 * values opened, every message of every IMAP folder, recent files under a
 * directory, each read deep (attachments decoded, PDF form field values).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { Redis } from 'ioredis';
import { simpleParser } from 'mailparser';
import { PDFDocument, PDFTextField } from 'pdf-lib';
import { SecretBox } from '../../lib/secret-box.js';
import { DOVECOT_PASSWORD } from '../../embedded/dovecot.js';

/**
 * What a scan must read: the bytes as they are, and, because a card number in
 * a mail is base64 inside a PDF whose field values sit in compressed object
 * streams, every attachment decoded and every PDF's form field values.
 */
async function pdfFieldText(bytes: Buffer): Promise<string> {
  try {
    const pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
    return pdf
      .getForm()
      .getFields()
      .map((f) => (f instanceof PDFTextField ? (f.getText() ?? '') : ''))
      .join('\n');
  } catch {
    return '';
  }
}

export async function deepMailText(raw: Buffer, depth = 0): Promise<string> {
  const parts = [raw.toString('latin1')];
  if (raw.subarray(0, 1024).includes('%PDF-')) return [...parts, await pdfFieldText(raw)].join('\n');
  if (depth > 2 || !/^[\x21-\x7e]+:/m.test(raw.subarray(0, 2000).toString('latin1'))) return parts[0]!;
  try {
    const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true });
    parts.push(mail.text ?? '');
    for (const a of mail.attachments) parts.push(await deepMailText(a.content, depth + 1));
  } catch {
    /* not a mail */
  }
  return parts.join('\n');
}

/** Every message of every folder of a Dovecot mailbox, raw and read deep. */
export async function imapFolders(
  port: number,
  user: string,
): Promise<Array<{ folder: string; raw: string; deep: string }>> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    auth: { user, pass: DOVECOT_PASSWORD },
    logger: false,
  });
  await client.connect();
  const out: Array<{ folder: string; raw: string; deep: string }> = [];
  try {
    for (const box of await client.list()) {
      const lock = await client.getMailboxLock(box.path, { readOnly: true });
      try {
        if (!client.mailbox || client.mailbox.exists === 0) continue;
        for (const m of await client.fetchAll('1:*', { source: true }))
          out.push({
            folder: box.path,
            raw: m.source?.toString('latin1') ?? '',
            deep: m.source ? await deepMailText(m.source) : '',
          });
      } finally {
        lock.release();
      }
    }
  } finally {
    await client.logout();
  }
  return out;
}

/** Every key in Redis as text, sealed values opened with each of `secrets`. */
export async function redisTexts(url: string, secrets: string[]): Promise<Array<{ key: string; text: string }>> {
  const r = new Redis(url);
  const boxes = secrets.map((s) => new SecretBox(s));
  const open = async (b: Buffer): Promise<string> => {
    for (const box of boxes) {
      try {
        return await deepMailText(box.open(b));
      } catch {
        /* not sealed by it */
      }
    }
    return b.length > 0 ? deepMailText(b) : '';
  };
  const out: Array<{ key: string; text: string }> = [];
  try {
    for (const key of await r.keys('*')) {
      const type = await r.type(key);
      let parts: Buffer[] = [];
      if (type === 'string') parts = [(await r.getBuffer(key))!];
      else if (type === 'hash')
        parts = Object.entries(await r.hgetallBuffer(key)).flatMap(([f, v]) => [Buffer.from(f), v]);
      else if (type === 'list') parts = await r.lrangeBuffer(key, '0', '-1');
      else if (type === 'set') parts = await r.smembersBuffer(key);
      else if (type === 'zset') parts = await r.zrangeBuffer(key, '0', '-1');
      else if (type === 'stream') parts = (await r.xrangeBuffer(key, '-', '+')).flatMap(([, f]) => f);
      const texts: string[] = [key];
      for (const p of parts) texts.push(p.toString('latin1'), await open(p));
      out.push({ key, text: texts.join('\n') });
    }
  } finally {
    r.disconnect();
  }
  return out;
}

/** Files under `root` changed since `since` (ms), but `skip` (a test's own Redis and Dovecot data, read through their protocols). */
export function recentFiles(root: string, skip: string[], since: number, out: string[] = [], depth = 0): string[] {
  if (depth > 6) return out;
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(root, n);
    if (skip.includes(p)) continue;
    try {
      const s = statSync(p);
      if (s.isDirectory()) recentFiles(p, skip, since, out, depth + 1);
      // Older files cannot hold this run's card number.
      else if (s.isFile() && s.size < 5 * 1024 * 1024 && s.mtimeMs >= since - 1000) out.push(p);
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}
