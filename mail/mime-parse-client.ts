/**
 * parseMailIsolated: the one way intake parses partner mail. The MIME parse
 * runs in a pooled child process (mail/mime-parse-pool.ts) with a time budget and memory
 * limits, so a hostile message (a multi-MB HTML table, deep MIME nesting, a
 * decoding bomb) costs at most its budget in another process and is answered,
 * never stalls the desk.
 */
import { MimePool } from './mime-parse-pool.js';
import type { MailParseResult, ParsedMailLite } from './mail-lite.js';

export type { MailParseResult, ParsedMailLite } from './mail-lite.js';

/** Default budget for one message's MIME parse. */
export const DEFAULT_MIME_TIMEOUT_MS = 10_000;

let pool: MimePool | undefined;

/** Buffers come back from the child as Uint8Arrays (structured clone); the mail code reads them as Buffers. */
const asBuffer = (u: Uint8Array): Buffer =>
  Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);

function revive(mail: ParsedMailLite): ParsedMailLite {
  for (const a of mail.attachments) a.content = asBuffer(a.content);
  for (const p of mail.parts.pdfs) p.content = asBuffer(p.content);
  return mail;
}

/**
 * Parses `raw` in a MIME child within `timeoutMs`. Resolves with the mail, or
 * with E_MAIL_TIMEOUT / E_MAIL_TOO_LARGE / E_MAIL_UNREADABLE; rejects when
 * no child can be started, or with E_PARSE_CHILD_KILLED when its child was
 * SIGKILLed from outside twice (either way the job is tried again later).
 */
export async function parseMailIsolated(raw: Uint8Array, opts: { timeoutMs?: number } = {}): Promise<MailParseResult> {
  pool ??= new MimePool();
  const result = await pool.parse(raw, opts.timeoutMs ?? DEFAULT_MIME_TIMEOUT_MS);
  return result.ok ? { ok: true, mail: revive(result.mail) } : result;
}

/** Starts a MIME child before the first mail arrives (intake calls it when its worker starts). */
export function prewarmMimePool(): void {
  pool ??= new MimePool();
  pool.prewarm();
}

/** Stops the MIME children (on shutdown); a later parse starts a new pool. */
export async function closeDefaultMimePool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.close();
}
