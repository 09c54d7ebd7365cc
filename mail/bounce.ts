/**
 * Delivery status notifications (RFC 3464 bounces) of the desk's own mail:
 * which recipients failed, whether for good (5.x.x) or for now (4.x.x), and
 * the Message-ID of the desk's mail that bounced, so the bounce can be put on
 * its case through the desk's signed Message-ID (caseFromDeskMessageId).
 *
 * mailparser puts the `message/delivery-status` part into `text` unless the
 * mail was parsed with `keepDeliveryStatus: true` (then it is an attachment);
 * both are read here. The original message comes as a `message/rfc822` or
 * `text/rfc822-headers` attachment (or the RFC 6533 `message/global*` ones).
 */
import type { Attachment, ParsedMail } from 'mailparser';

export interface BounceInfo {
  /** A delivery-status report telling of at least one failed or delayed recipient. */
  isBounce: boolean;
  /** Some recipient failed permanently (`Action: failed`, `Status: 5.x.x`). */
  hard: boolean;
  /** The failed (or delayed) recipients, lower case. */
  recipients: string[];
  /** Message-ID of the mail that bounced, angle brackets included. */
  originalMessageId?: string;
  /** The status of the worst failed recipient, e.g. `5.1.1`. */
  status?: string;
}

interface RecipientStatus {
  recipient: string;
  action?: string;
  status?: string;
}

const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const ORIGINAL_TYPES = new Set(['message/rfc822', 'message/global', 'text/rfc822-headers', 'message/global-headers']);
const FAILED = new Set(['failed', 'delayed']);

/** Header-style fields of a block of text: name (lower case) → unfolded value; the first of a repeat wins. */
function fields(block: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of block.replace(/\r?\n(?=[ \t])/g, ' ').split(/\r?\n/)) {
    const m = /^([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (m && !out.has(m[1]!.toLowerCase())) out.set(m[1]!.toLowerCase(), m[2]!.trim());
  }
  return out;
}

/** The per-recipient blocks of a delivery-status body (blocks are separated by blank lines). */
function recipientStatuses(body: string): RecipientStatus[] {
  const out: RecipientStatus[] = [];
  for (const block of body.split(/\r?\n[ \t]*\r?\n/)) {
    const f = fields(block);
    const rcpt = f.get('final-recipient') ?? f.get('original-recipient');
    if (!rcpt) continue;
    const address = rcpt.includes(';') ? rcpt.slice(rcpt.indexOf(';') + 1) : rcpt;
    const status = /^([245]\.\d{1,3}\.\d{1,3})/.exec(f.get('status') ?? '')?.[1];
    out.push({
      recipient: address.trim().replace(/^<|>$/g, '').toLowerCase(),
      ...(f.has('action') ? { action: f.get('action')!.toLowerCase().split(/[\s(]/)[0]! } : {}),
      ...(status ? { status } : {}),
    });
  }
  return out;
}

function messageIdOf(a: Attachment): string | undefined {
  const text = a.content.toString('utf8');
  const head = text.split(/\r?\n\r?\n/)[0] ?? '';
  const id = fields(head).get('message-id');
  return id
    ? (/<[^<>\s]+>/.exec(id)?.[0] ?? (id.includes('@') ? `<${id.replace(/[<>\s]/g, '')}>` : undefined))
    : undefined;
}

function contentType(mail: Pick<ParsedMail, 'headers'>): { value: string; params: Record<string, string> } {
  const ct = mail.headers.get('content-type');
  if (ct && typeof ct === 'object' && 'value' in ct && !Array.isArray(ct)) {
    return { value: String(ct.value).toLowerCase(), params: (ct as { params?: Record<string, string> }).params ?? {} };
  }
  return { value: typeof ct === 'string' ? ct.toLowerCase() : '', params: {} };
}

export function bounceInfo(mail: Pick<ParsedMail, 'headers' | 'attachments' | 'text'>): BounceInfo {
  const ct = contentType(mail);
  const isDsnType =
    ct.value === 'multipart/report' && (ct.params['report-type'] ?? '').toLowerCase() === 'delivery-status';
  const statusParts = mail.attachments.filter((a) => STATUS_TYPES.has(a.contentType.toLowerCase()));
  if (!isDsnType && statusParts.length === 0) return { isBounce: false, hard: false, recipients: [] };

  const bodies = statusParts.length ? statusParts.map((a) => a.content.toString('utf8')) : [mail.text ?? ''];
  const all = bodies.flatMap(recipientStatuses);
  // A report on successful deliveries (NOTIFY=SUCCESS) is not a bounce.
  if (all.length > 0 && all.every((r) => r.action !== undefined && !FAILED.has(r.action))) {
    return { isBounce: false, hard: false, recipients: [] };
  }
  const failed = all.filter((r) => r.action === undefined || FAILED.has(r.action));
  const isHard = (r: RecipientStatus) =>
    r.action !== 'delayed' && (r.status === undefined ? r.action === 'failed' : r.status.startsWith('5.'));
  const worst = failed.find((r) => isHard(r) && r.status) ?? failed.find((r) => r.status);

  let recipients = [...new Set(failed.map((r) => r.recipient).filter(Boolean))];
  if (recipients.length === 0) {
    // Exim names them in a header too.
    const x = mail.headers.get('x-failed-recipients');
    recipients = [
      ...new Set(
        (Array.isArray(x) ? x : x ? [x] : [])
          .flatMap((v) => String(v).split(','))
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
  }

  const originalMessageId = mail.attachments
    .filter((a) => ORIGINAL_TYPES.has(a.contentType.toLowerCase()))
    .map(messageIdOf)
    .find((id) => id !== undefined);

  return {
    isBounce: true,
    hard: failed.some(isHard),
    recipients,
    ...(originalMessageId ? { originalMessageId } : {}),
    ...(worst?.status ? { status: worst.status } : {}),
  };
}
