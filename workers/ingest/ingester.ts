/**
 * Takes each message from the desk's mailbox exactly once: it is stored in
 * Redis (encrypted, de-duplicated) and its intake job queued BEFORE the mail is
 * moved out of the mailbox, so a crash at any point loses nothing and a retry
 * stores nothing twice (DSK-4). Only the holder of the mailbox lease ingests;
 * other processes wait and take over when the holder dies.
 */
import { ImapFlow, type FetchMessageObject } from 'imapflow';
import type { DeskContext } from '../desk/context.js';
import { isRedisOutageError } from '../../lib/outage-log.js';
import { Lease } from '../desk/lease.js';
import { onReplicas } from './replica-wait.js';
import { imapTlsOptions, parseImapUrl, type ImapTarget } from './imap-url.js';
import { CODES, errors } from '../../lib/errors.js';
import { applyImapRetention, moveQuarantinedCopies } from '../retention/index.js';
import { jobIds } from '../desk/queues.js';
import { authenticationResultsOf } from './too-large-headers.js';
import { withoutCardNumbers } from '../../lib/card-number.js';
import { envelopeFrom } from '../../mail/sender-address.js';
import type { MessageMeta } from '../../store/message-store.js';
import { fetchSealed, type FetchedMessage } from './fetch.js';
import { queueIntake } from '../intake/index.js';
import { MOVE_BATCH, PendingMoves } from './moves.js';

import { PROCESSED_FOLDER, QUARANTINE_FOLDER } from '../desk/imap-folders.js';

export interface IngesterOptions {
  leaseMs?: number;
  /** Safety net: rescan this often even without IDLE news. */
  rescanMs?: number;
  /**
   * Look at the INBOX this often instead of waiting with IDLE (0: IDLE). Dovecot tells an IDLEing client of new
   * mail only after a fixed 500 ms (NOTIFY_DELAY_MSECS), the floor of an idle desk's latency; a poll every
   * 100 ms finds it sooner, for a SEARCH every poll.
   */
  pollMs?: number;
}

export class Ingester {
  private running = false;
  private client?: ImapFlow;
  private loop?: Promise<void>;
  private scanning: Promise<void> = Promise.resolve();
  private rescanQueued = false;
  private readonly target: ImapTarget;
  private readonly lease: Lease;
  private readonly rescanMs: number;
  private readonly pollMs: number;
  private wake?: () => void;
  /** True while this process holds the lease and is connected. */
  active = false;
  /** The plaintext warning of a `?tls=optional` URL is logged once, not at every reconnect. */
  private warnedPlaintext = false;

  constructor(
    private readonly ctx: DeskContext,
    imapUrl: string,
    opts: IngesterOptions = {},
  ) {
    this.target = parseImapUrl(imapUrl);
    this.lease = new Lease(
      ctx.redis,
      ctx.keys.ingestLease(`${this.target.user}@${this.target.host}:${this.target.port}/${this.target.mailbox}`),
      opts.leaseMs ?? 15_000,
    );
    this.rescanMs = opts.rescanMs ?? 10_000;
    this.pollMs = opts.pollMs ?? 0;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.client?.logout().catch(() => undefined);
    await this.loop;
    await this.lease.release().catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    const log = this.ctx.log.child({ role: 'ingest', mailbox: this.target.mailbox });
    while (this.running) {
      let held = false;
      try {
        held = await this.lease.acquire();
      } catch (e) {
        this.ctx.outage.report('ingest lease', e);
      }
      if (!held) {
        await this.sleep(this.lease.ttlMs / 3);
        continue;
      }
      log.info('holding the mailbox lease; ingesting');
      try {
        await this.session(log);
      } catch (e) {
        const err = e as Error & { code?: string };
        if (err.code === CODES.E_TLS_REQUIRED)
          log.error({ code: err.code, err: err.message }, 'IMAP server refused: no TLS');
        else log.warn({ err: err.message }, 'IMAP session ended with an error; will reconnect');
      } finally {
        this.active = false;
        await this.client?.logout().catch(() => undefined);
        this.client = undefined;
      }
      if (this.running) await this.sleep(1000);
    }
  }

  private async session(log: DeskContext['log']): Promise<void> {
    const t = this.target;
    const client = new ImapFlow({
      host: t.host,
      port: t.port,
      ...imapTlsOptions(t),
      auth: { user: t.user, pass: t.pass },
      // imapflow's own log (its plaintext warning included) is off; the desk logs what matters below.
      logger: false,
      // The lease, not a long socket timeout, decides who ingests.
      socketTimeout: 5 * 60_000,
    });
    this.client = client;
    client.on('error', (e: Error) => log.warn({ err: e.message }, 'IMAP error'));
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    try {
      await client.connect();
    } catch (e) {
      await client.close();
      // imapflow marks a STARTTLS it could not do; with doSTARTTLS it stops there, before LOGIN.
      if (t.tls === 'starttls' && (e as { tlsFailed?: boolean }).tlsFailed)
        throw errors.E_TLS_REQUIRED(
          `the IMAP server ${t.host}:${t.port}`,
          (e as Error).message,
          'imap://',
          'LICENSEDESK_IMAP_URL',
        );
      throw e;
    }
    if (t.tls === 'starttls-optional' && !client.secureConnection && !this.warnedPlaintext) {
      this.warnedPlaintext = true;
      log.warn(
        { host: t.host, port: t.port },
        'the IMAP connection is not encrypted: the server offered no STARTTLS and LICENSEDESK_IMAP_URL allows plaintext (?tls=optional), so the password and the mail cross the network in clear',
      );
    }
    for (const folder of [PROCESSED_FOLDER, QUARANTINE_FOLDER]) {
      await client.mailboxCreate(folder).catch(() => undefined); // exists already
    }
    this.active = true;
    client.on('exists', () => this.requestScan(log));
    this.requestScan(log);

    let lost = false;
    let renewedAt = Date.now();
    const renew = setInterval(
      () => {
        this.lease.renew().then(
          (ok) => {
            if (ok) renewedAt = Date.now();
            if (!ok) {
              lost = true;
              log.warn('lost the mailbox lease; stopping ingest here');
              client.close();
            }
          },
          (e: unknown) => {
            this.ctx.outage.report('ingest lease', e);
            // Unrenewed for a whole lease term (e.g. across a failover that lost the
            // key): another process may hold it now, so stop and ask again.
            if (!lost && Date.now() - renewedAt > this.lease.ttlMs) {
              lost = true;
              log.warn('could not renew the mailbox lease; stopping ingest here');
              client.close();
            }
          },
        );
      },
      Math.max(500, Math.floor(this.lease.ttlMs / 3)),
    );
    const rescan = setInterval(() => this.requestScan(log), this.pollMs > 0 ? this.pollMs : this.rescanMs);
    try {
      await Promise.race([
        closed,
        new Promise<void>((r) => {
          const w = () => {
            if (!this.running) r();
            else setTimeout(w, 200);
          };
          w();
        }),
      ]);
    } finally {
      clearInterval(renew);
      clearInterval(rescan);
      await this.scanning.catch(() => undefined);
    }
    if (lost) await this.sleep(this.lease.ttlMs);
  }

  /** Scans are serialised; a request while one runs makes one more afterwards. */
  private requestScan(log: DeskContext['log']): void {
    if (this.rescanQueued) return;
    this.rescanQueued = true;
    this.scanning = this.scanning.then(async () => {
      this.rescanQueued = false;
      if (!this.client || !this.running) return;
      try {
        for (;;) {
          // Mail that arrived while a pass was moving messages is taken by the next pass.
          while (this.running && this.client && (await this.scan(this.client, log)) > 0);
          if (this.running && this.client) await moveQuarantinedCopies(this.ctx, this.client, log);
          // A batch at a time, with a look at the INBOX between batches, so partner mail never waits for a long backlog.
          const more =
            this.running &&
            !!this.client &&
            (await applyImapRetention(this.ctx, this.client, log, this.target.mailbox));
          // Those two select Processed or Quarantine, and the server tells of new mail only in the selected
          // folder: mail that came meanwhile raised no news, and would wait for the rescan. Look once more.
          if (!this.running || !this.client) break;
          if ((await this.scan(this.client, log)) === 0 && !more) break;
        }
      } catch (e) {
        if (isRedisOutageError(e)) this.ctx.outage.report('ingest scan', e);
        else log.warn({ err: (e as Error).message }, 'scan failed; will retry');
      }
      // Wait for news with IDLE: the server then tells us of new mail at once
      // (imapflow's own auto-IDLE starts only after a long quiet spell). The
      // next command, such as the next scan, ends the IDLE.
      if (this.running && this.client?.usable && this.pollMs === 0)
        void this.client.idle({ whenFree: true }).catch(() => undefined);
    });
  }

  /** One pass over the mailbox; returns how many messages it moved out. */
  async scan(client: ImapFlow, log: DeskContext['log']): Promise<number> {
    const ctx = this.ctx;
    const lock = await client.getMailboxLock(this.target.mailbox);
    let taken = 0;
    let seen = 0;
    let unconfirmed = 0;
    const moves = new PendingMoves();
    try {
      const box = client.mailbox;
      if (!box) return 0;
      const uidValidity = String(box.uidValidity);
      // Ask the server rather than trust the cached EXISTS count: an EXPUNGE
      // (our own MOVE) and a new message's EXISTS in one response can leave the
      // count unchanged, so no 'exists' event fires for the new message.
      const uids = await client.search({ all: true }, { uid: true });
      if (!uids || uids.length === 0) return 0;
      // Collect first: no other IMAP command may run inside a fetch loop.
      const list: FetchMessageObject[] = await client.fetchAll(
        uids.join(','),
        { uid: true, size: true, envelope: true },
        { uid: true },
      );
      // Which are stored already, in one round trip: only this process (the lease holder) stores this mailbox's mail.
      const known = await ctx.messages.knownUids(
        uidValidity,
        list.map((m) => m.uid),
      );
      for (const m of list) {
        seen++;
        const size = m.size ?? 0;
        const tooLarge = size > ctx.config.maxMessageBytes;
        let id = known.get(m.uid) ?? null;
        let storedNow = false;
        if (!id) {
          let body: FetchedMessage | undefined;
          if (!tooLarge) {
            // Streamed in chunks and sealed as they come, never one multi-MB literal (workers/ingest/fetch.ts).
            body = await fetchSealed(client, ctx.box, m.uid, size, ctx.config.maxMessageBytes);
            if (!body) continue; // expunged meanwhile
          }
          const authResults =
            tooLarge && ctx.config.authservId ? await authenticationResultsOf(client, m.uid) : undefined;
          const date = m.envelope?.date ? new Date(m.envelope.date) : undefined;
          const meta: MessageMeta = {
            uidValidity,
            uid: m.uid,
            mailbox: this.target.mailbox,
            messageId: m.envelope?.messageId,
            size,
            receivedAt: ctx.clock.now().toISOString(),
            tooLarge: tooLarge || undefined,
            // Kept in plain text for reps' lists: never with a card number in it (DSK-5). Every address of a From
            // that names several, so nothing answers the first of them alone.
            from: envelopeFrom(m.envelope?.from),
            subject: m.envelope?.subject === undefined ? undefined : withoutCardNumbers(m.envelope.subject),
            ...(date && !Number.isNaN(date.getTime()) ? { date: date.toISOString() } : {}),
            ...(authResults ? { authResults } : {}),
          };
          const put = body
            ? await ctx.messages.putSealed(body.id, body.sealed, meta)
            : await ctx.messages.put(undefined, meta);
          id = put.id;
          if (put.status === 'duplicate') {
            log.info({ id, uid: m.uid }, 'duplicate message: already taken in, not processed again (DSK-4)');
            await ctx.audit.append({
              at: ctx.clock.now().toISOString(),
              actor: 'ingest',
              action: 'message-duplicate',
              detail: { id, uid: m.uid, messageId: m.envelope?.messageId },
            });
          }
          if (put.status !== 'duplicate') taken++;
          storedNow = put.status === 'new';
        }
        // A message stored just now waits for its intake; otherwise its state alone says (loading and opening a
        // multi-MB body here only to read its state held the loop).
        if (storedNow || (await ctx.messages.state(id)) === 'stored') {
          await queueIntake(ctx, id, jobIds.intake(id));
        }
        // With replicas, a store the master acknowledged can be lost in a failover:
        // the mail stays in the INBOX until a replica holds it too (taken again, de-duplicated).
        if (!(await onReplicas(ctx, log, m.uid))) {
          unconfirmed++;
          continue;
        }
        // Only now, with the message safe in Redis, may it leave the mailbox: with the next batch of moves.
        moves.add(tooLarge ? QUARANTINE_FOLDER : PROCESSED_FOLDER, m.uid, id);
        if (moves.size >= MOVE_BATCH) await moves.flush(client, ctx);
      }
      await moves.flush(client, ctx);
    } finally {
      lock.release();
    }
    if (taken > 0) log.info({ taken }, 'messages taken in');
    // Mail left in the INBOX for want of a replica waits for the next rescan, not a busy loop.
    return seen - unconfirmed;
  }
}
