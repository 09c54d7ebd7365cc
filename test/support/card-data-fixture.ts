/**
 * Fixture for the DSK-5 card-data test: a registry with one case per
 * scenario (each its own source and target system, so moves never collide),
 * card forms with any values, a security-code field added to a filled form,
 * a TCP relay that can be closed and reopened on the same port (in front of
 * the SMTP sink: the desk sees SMTP go away and come back) or slowed down (in
 * front of Redis: a kill lands between two of the desk's writes), and the scanners
 * that look for card digits in Redis and in text.
 */
import { createServer, connect, type Server, type Socket, type AddressInfo } from 'node:net';
import { PDFDocument } from 'pdf-lib';
import { Redis } from 'ioredis';
import { fillForm } from '../../forms/form-filler.js';
import { altigenRegistry, CONTACT, TODAY } from './altigen-fixture.js';

// --- card numbers ---------------------------------------------------------------

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** `body` plus the Luhn check digit. */
export function withCheckDigit(body: string): string {
  for (let c = 0; c <= 9; c++) if (luhnValid(body + c)) return body + c;
  throw new Error('unreachable');
}

/** The ways a number may be written: plain, in groups of 4 (or Amex 4-6-5) with spaces or dashes. */
export function cardSpellings(digits: string): string[] {
  const groups =
    digits.length === 15
      ? [digits.slice(0, 4), digits.slice(4, 10), digits.slice(10)]
      : (digits.match(/.{1,4}/g) ?? [digits]);
  const fours = digits.match(/.{1,4}/g) ?? [digits];
  return [...new Set([digits, groups.join(' '), groups.join('-'), fours.join(' '), fours.join('-')])];
}

// --- registry -------------------------------------------------------------------

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** One AltiGen case a scenario: LK-<n> on SRC-<n> (Max1000) moves to DST-<n> (Max2000, the case's system). */
export function cardDataRegistry(caseNumbers: string[]) {
  const reg = altigenRegistry();
  for (const n of caseNumbers) {
    reg.systems.push(
      {
        key: `SRC-${n}`,
        endUserId: 'EU-1',
        program: 'altigen',
        model: 'Max1000',
        platform: 'physical',
        registered: true,
        saExpiresOn: day(200),
      },
      {
        key: `DST-${n}`,
        endUserId: 'EU-1',
        program: 'altigen',
        model: 'Max2000',
        platform: 'physical',
        registered: true,
        saExpiresOn: day(300),
      },
    );
    reg.licenses.push({ key: `LK-${n}`, systemKey: `SRC-${n}`, sku: 'ALTI-STATION-10', quantity: 1 });
    reg.cases.push({
      number: n,
      partnerId: 'P-100',
      systemKey: `DST-${n}`,
      program: 'altigen',
      openedAt: new Date().toISOString(),
    });
  }
  return reg;
}

// --- forms ----------------------------------------------------------------------

export interface CardValues {
  card_number?: string;
  card_expiry?: string;
  cardholder_name?: string;
  billing_postcode?: string;
  max_amount?: string;
}

/** A Credit Card Authorization for `caseNumber`; every value can be replaced. */
export function cardFormWith(caseNumber: string, v: CardValues): Promise<Uint8Array> {
  return fillForm('card-authorization/v1', {
    form_id: 'card-authorization/v1',
    case_number: caseNumber,
    cardholder_name: v.cardholder_name ?? 'Pat Partner',
    card_number: v.card_number ?? '',
    card_expiry: v.card_expiry ?? '12/39',
    billing_postcode: v.billing_postcode ?? '94016',
    max_amount: v.max_amount ?? '2000.00',
    currency: 'USD',
    signer_name: 'Pat Partner',
    signed_on: TODAY,
  });
}

/** A License Transfer Form moving LK-<n> from SRC-<n> to DST-<n>, plus any extra license_keys lines. */
export function transferFormFor(caseNumber: string, extraKeyLines: string[] = []): Promise<Uint8Array> {
  return fillForm('license-transfer/v1', {
    form_id: 'license-transfer/v1',
    case_number: caseNumber,
    partner_id: 'P-100',
    partner_name: 'Acme Telecom',
    contact_email: CONTACT,
    end_user_id: 'EU-1',
    end_user_name: 'Globex',
    from_system_key: `SRC-${caseNumber}`,
    to_system_key: `DST-${caseNumber}`,
    to_chassis_model: 'Max2000',
    license_keys: [`LK-${caseNumber}`, ...extraKeyLines].join('\n'),
    software_only_upgrade: false,
    signer_name: 'Pat Partner',
    signed_on: TODAY,
  });
}

/** Adds a filled text field `name` (e.g. `cvv`) to an already filled form, the way a partner's PDF tool might. */
export async function addTextField(pdfBytes: Uint8Array, name: string, value: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(pdfBytes);
  const field = pdf.getForm().createTextField(name);
  field.setText(value);
  field.addToPage(pdf.getPage(0), { x: 400, y: 60, width: 80, height: 18 });
  return pdf.save();
}

// --- a TCP relay: SMTP that goes away and comes back on the same port, Redis that turns slow --

export interface TcpRelay {
  port: number;
  /** Stops listening and cuts every open connection: clients get ECONNREFUSED. */
  close(): Promise<void>;
  /** Listens again on the same port. */
  open(): Promise<void>;
  /** Holds every chunk this long (each direction, order kept), from now on, on open connections too. */
  setDelay(ms: number): void;
}

export async function startTcpRelay(targetPort: number): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  let delay = 0;
  /** Writes `chunk` to `to` after the delay, never before an earlier chunk of the same direction. */
  const forward = (from: Socket, to: Socket) => {
    let last = 0;
    from.on('data', (chunk: Buffer) => {
      if (delay === 0 && last <= Date.now()) {
        to.write(chunk);
        return;
      }
      last = Math.max(Date.now() + delay, last);
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
      }, last - Date.now());
    });
  };
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(targetPort, '127.0.0.1');
        sockets.add(client);
        sockets.add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop);
        upstream.on('error', drop);
        client.on('close', drop);
        upstream.on('close', drop);
        forward(client, upstream);
        forward(upstream, client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        s.off('error', reject);
        port = (s.address() as AddressInfo).port;
        server = s;
        resolve();
      });
    });
  await listen();
  return {
    port,
    async close() {
      const s = server;
      server = undefined;
      for (const so of sockets) so.destroy();
      sockets.clear();
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async open() {
      if (!server) await listen();
    },
    setDelay(ms) {
      delay = ms;
    },
  };
}

// --- scanners -------------------------------------------------------------------

/** A literal text, or a pattern (for short values such as a security code, bounded by non-alphanumerics). */
export interface Needle {
  label: string;
  text?: string;
  re?: RegExp;
}

export interface Hit {
  where: string;
  needle: string;
  context: string;
}

/** Every place in `text` where a needle occurs, with some context around it. */
export function findNeedles(where: string, text: string, needles: Needle[]): Hit[] {
  const hits: Hit[] = [];
  const at = (i: number, len: number, label: string) =>
    hits.push({ where, needle: label, context: text.slice(Math.max(0, i - 120), i + len + 60).replace(/\s+/g, ' ') });
  for (const n of needles) {
    if (n.text) {
      let i = text.indexOf(n.text);
      for (let shown = 0; i >= 0 && shown < 3; shown++, i = text.indexOf(n.text, i + 1)) at(i, n.text.length, n.label);
    }
    if (n.re) {
      const re = new RegExp(n.re.source, n.re.flags.includes('g') ? n.re.flags : `${n.re.flags}g`);
      let shown = 0;
      for (const m of text.matchAll(re)) {
        if (shown++ >= 3) break;
        at(m.index ?? 0, m[0].length, n.label);
      }
    }
  }
  return hits;
}

export interface RedisScan {
  hits: Hit[];
  keys: number;
  types: Record<string, number>;
  /** Keys holding a readable PDF (`%PDF-`, or its base64 `JVBERi0`). */
  readablePdf: string[];
  /** BullMQ job hashes with a non-empty `stacktrace` (failed attempts kept). */
  stacktraces: string[];
}

/** Reads every key of every database (all types, streams included) and looks for the needles. */
export async function scanRedis(url: string, needles: Needle[]): Promise<RedisScan> {
  const r = new Redis(url);
  const out: RedisScan = { hits: [], keys: 0, types: {}, readablePdf: [], stacktraces: [] };
  try {
    const keyspace = String(await r.info('keyspace'));
    const dbs = [...keyspace.matchAll(/^db(\d+):/gm)].map((m) => Number(m[1]));
    for (const db of dbs.length ? dbs : [0]) {
      await r.select(db);
      let cursor = '0';
      do {
        const [next, keys] = await r.scanBuffer(cursor, 'COUNT', 1000);
        cursor = String(next);
        for (const kb of keys) {
          const key = kb.toString('latin1');
          const type = await r.type(kb);
          out.keys++;
          out.types[type] = (out.types[type] ?? 0) + 1;
          const parts: Array<[string, string]> = [['(key name)', key]];
          if (type === 'string') parts.push(['', (await r.getBuffer(kb))?.toString('latin1') ?? '']);
          else if (type === 'hash') {
            const h = await r.hgetallBuffer(kb);
            for (const [f, v] of Object.entries(h)) parts.push([`field ${f}`, `${f}\n${v.toString('latin1')}`]);
            const st = h['stacktrace']?.toString('latin1');
            if (st && st !== '[]') out.stacktraces.push(key);
          } else if (type === 'list')
            parts.push(['', (await r.lrangeBuffer(kb, '0', '-1')).map((b) => b.toString('latin1')).join('\n')]);
          else if (type === 'set')
            parts.push(['', (await r.smembersBuffer(kb)).map((b) => b.toString('latin1')).join('\n')]);
          else if (type === 'zset')
            parts.push([
              '',
              (await r.zrangeBuffer(kb, '0', '-1', 'WITHSCORES')).map((b) => b.toString('latin1')).join('\n'),
            ]);
          else if (type === 'stream') {
            const entries = await r.xrangeBuffer(kb, '-', '+');
            for (const [id, fields] of entries)
              parts.push([`entry ${id.toString('latin1')}`, fields.map((b) => b.toString('latin1')).join('\n')]);
          } else parts.push(['', `(unscanned type ${type})`]);
          for (const [sub, text] of parts) {
            out.hits.push(...findNeedles(`redis db${db} ${type} ${key}${sub ? ` ${sub}` : ''}`, text, needles));
            if (/%PDF-|JVBERi0/.test(text) && !out.readablePdf.includes(key)) out.readablePdf.push(key);
          }
        }
      } while (cursor !== '0');
    }
  } finally {
    r.disconnect();
  }
  return out;
}
