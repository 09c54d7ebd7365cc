/**
 * A real SMTP server (the `smtp-server` package) per test run on a free
 * loopback port that accepts every message (no AUTH, no TLS) and keeps it,
 * parsed with mailparser, for assertions.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface ReceivedMail {
  /** MAIL FROM address ('' for the null sender `<>`). */
  envelopeFrom: string;
  /** RCPT TO addresses, in order. */
  envelopeTo: string[];
  /** The message as received (DATA, dot-unstuffed), decoded as UTF-8. */
  raw: string;
  /** simpleParser's result; headers in `parsed.headers` (a Map with lowercase keys). */
  parsed: ParsedMail;
  /** Date.now() when DATA ended, before parsing: the benchmark's end of a case's latency. */
  receivedAt: number;
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>?tls=optional`: the sink speaks plaintext on loopback (a plain `smtp://` URL requires STARTTLS). */
  url: string;
  host: string;
  port: number;
  /** Every message received so far, in order of arrival (a copy). */
  messages(): ReceivedMail[];
  /** Messages with `address` among the envelope recipients (case-insensitive). */
  to(address: string): ReceivedMail[];
  /** Resolves with the first message (already received or arriving) that matches, or rejects after timeoutMs. */
  waitFor(predicate: (m: ReceivedMail) => boolean, timeoutMs?: number, what?: string): Promise<ReceivedMail>;
  /** Messages whose `X-Licensedesk-Kind` header equals `kind`. */
  byKind(kind: string): ReceivedMail[];
  /** Forgets the messages received so far. */
  clear(): void;
  /** Closes the server (open client connections are dropped after 1 s). */
  stop(): Promise<void>;
  /** Listens again on the same port after stop() (an SMTP outage that ends); keeps what was received. */
  start(): Promise<void>;
  /** The next `times` RCPT TO of `address` are refused for now (451), as a mailbox server that is busy. */
  deferRecipient(address: string, times: number): void;
  /** RCPT TO commands refused so far by deferRecipient, by address (lower case). */
  deferred(): Map<string, number>;
}

export const KIND_HEADER = 'x-licensedesk-kind';

/** A header's value as text (first value when repeated); undefined if absent. */
export function headerText(m: ReceivedMail, name: string): string | undefined {
  const v = m.parsed.headers.get(name.toLowerCase());
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  // Structured headers (addresses, dates, content-type): use the raw line instead.
  const line = m.parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).trim();
}

export async function startSmtpSink(): Promise<SmtpSink> {
  let received: ReceivedMail[] = [];
  const waiters = new Set<(m: ReceivedMail) => void>();
  const toDefer = new Map<string, number>();
  const deferredSoFar = new Map<string, number>();

  const makeServer = () =>
    new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      banner: 'licensedesk test sink',
      closeTimeout: 1000,
      onRcptTo(address, _session, callback) {
        const a = address.address.toLowerCase();
        const left = toDefer.get(a) ?? 0;
        if (left <= 0) return callback();
        toDefer.set(a, left - 1);
        deferredSoFar.set(a, (deferredSoFar.get(a) ?? 0) + 1);
        const err = Object.assign(new Error('4.2.1 mailbox busy, try again later'), { responseCode: 451 });
        callback(err);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', (err: Error) => callback(err));
        stream.on('end', () => {
          const receivedAt = Date.now();
          const rawBuf = Buffer.concat(chunks);
          simpleParser(rawBuf).then(
            (parsed) => {
              const mail: ReceivedMail = {
                envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                envelopeTo: session.envelope.rcptTo.map((r) => r.address),
                raw: rawBuf.toString('utf8'),
                parsed,
                receivedAt,
              };
              // Stored before the 250 reply, so a resolved sendMail() means it is visible here.
              received.push(mail);
              for (const w of [...waiters]) w(mail);
              callback();
            },
            (err: Error) => callback(err),
          );
        });
      },
    });
  const listen = async (onPort: number): Promise<SMTPServer> => {
    const server = makeServer();
    server.on('error', () => {
      /* per-connection errors (client resets) are not test failures */
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(onPort, '127.0.0.1', () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    return server;
  };
  let server = await listen(0);
  const port = (server.server.address() as AddressInfo).port;

  const kindOf = (m: ReceivedMail) => headerText(m, KIND_HEADER);
  let stopped = false;

  return {
    url: `smtp://127.0.0.1:${port}?tls=optional`,
    host: '127.0.0.1',
    port,
    messages: () => [...received],
    to(address) {
      const a = address.toLowerCase();
      return received.filter((m) => m.envelopeTo.some((t) => t.toLowerCase() === a));
    },
    waitFor(predicate, timeoutMs = 15_000, what = 'a matching message') {
      const hit = received.find(predicate);
      if (hit) return Promise.resolve(hit);
      return new Promise<ReceivedMail>((resolve, reject) => {
        const waiter = (m: ReceivedMail) => {
          if (!predicate(m)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(m);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = received
            .map((m) => `  ${m.envelopeTo.join(',')} "${m.parsed.subject ?? ''}" kind=${kindOf(m) ?? '-'}`)
            .join('\n');
          reject(
            new Error(
              `SMTP sink: timed out after ${timeoutMs} ms waiting for ${what}; received ${received.length}:\n${seen}`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    byKind: (kind) => received.filter((m) => kindOf(m) === kind),
    clear() {
      received = [];
    },
    stop() {
      if (stopped) return Promise.resolve();
      stopped = true;
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async start() {
      if (!stopped) return;
      server = await listen(port);
      stopped = false;
    },
    deferRecipient(address, times) {
      toDefer.set(address.toLowerCase(), times);
    },
    deferred: () => new Map(deferredSoFar),
  };
}
