/**
 * What an operator reads during a Redis outage: a few JSON lines saying that
 * Redis is unreachable (the first error and where it came from), a summary now
 * and then while it lasts, and when it came back, with how long it took and
 * how many errors were swallowed. Every connection, Queue and Worker of a
 * process reports its errors here instead of logging each one: a failover
 * makes dozens of connections fail at once and reconnect many times.
 *
 * Times are the process's own wall clock, not ctx.clock: this measures the
 * process's connection to Redis, not business time (which may be shifted).
 */
import type { Logger } from './logger.js';

export interface OutageLogOptions {
  /** While down, a summary line this often. */
  summaryEveryMs?: number;
  /** While down, the probe runs this often; its first success ends the outage. */
  probeEveryMs?: number;
  /** After recovery, errors from connections that reconnect later are counted for this long, then summed up in one line. */
  settleMs?: number;
}

interface Tally {
  since: number;
  errors: number;
  sources: Set<string>;
  lastError: string;
}

/**
 * Errors that mean "Redis is not reachable right now", as ioredis and BullMQ
 * word them. Plain socket errors (ECONNREFUSED …) count only where the error
 * can only have come from Redis (`socketErrors`): a job's error may come
 * from SMTP or IMAP, and those must stay visible as job failures.
 */
export function isRedisOutageError(err: unknown, opts: { socketErrors?: boolean } = {}): boolean {
  const m = err instanceof Error ? `${err.message} ${(err as { code?: string }).code ?? ''}` : String(err);
  if (
    /Command timed out|Connection is closed|Stream isn't writeable|Socket timeout|All sentinels are unreachable|READONLY|UNBLOCKED|LOADING|MASTERDOWN|Reached the max retries per request/i.test(
      m,
    )
  )
    return true;
  return opts.socketErrors === true && /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH/.test(m);
}

export class OutageLog {
  private down?: Tally & { lastSummary: number };
  private settling?: Tally & { until: number };
  private timer?: NodeJS.Timeout;
  private probing = false;
  private closed = false;
  private lastReconnectLog = 0;
  private readonly summaryEveryMs: number;
  private readonly probeEveryMs: number;
  private readonly settleMs: number;
  /** Outages seen by this process (for /metrics). */
  outages = 0;

  constructor(
    private readonly log: Logger,
    private readonly probe: () => Promise<unknown>,
    opts: OutageLogOptions = {},
  ) {
    this.summaryEveryMs = opts.summaryEveryMs ?? 15_000;
    this.probeEveryMs = opts.probeEveryMs ?? 1_000;
    this.settleMs = opts.settleMs ?? 10_000;
  }

  /** True from the first error until the probe reaches Redis again. */
  get isDown(): boolean {
    return this.down !== undefined;
  }

  /** How long the current outage has lasted, or 0. */
  downForMs(now = Date.now()): number {
    return this.down ? now - this.down.since : 0;
  }

  report(source: string, err: unknown): void {
    if (this.closed) return;
    const message = err instanceof Error ? err.message : String(err);
    const now = Date.now();
    if (this.down) {
      this.down.errors++;
      this.down.sources.add(source);
      this.down.lastError = message;
      return;
    }
    if (this.settling && now < this.settling.until) {
      this.settling.errors++;
      this.settling.sources.add(source);
      this.settling.lastError = message;
      return;
    }
    this.outages++;
    this.down = { since: now, errors: 1, sources: new Set([source]), lastError: message, lastSummary: now };
    this.log.warn(
      { redis: 'down', source, err: message },
      'Redis unreachable; the desk keeps retrying and logs a summary while it lasts, then when it is back',
    );
    this.schedule();
  }

  /**
   * The desk's connection is on Redis again after it was closed, e.g. moved to
   * the new master by Sentinel's failover notice without a single failed
   * command. Said once, so an operator sees the failover in this process's log.
   */
  reconnected(source: string, address: string): void {
    if (this.closed || this.down) return; // the outage's own "back" line says it
    const now = Date.now();
    if (now - this.lastReconnectLog < this.settleMs) return;
    this.lastReconnectLog = now;
    this.log.info(
      { redis: 'reconnected', source, address },
      'Redis connection re-established (after a failover it now reaches the new master)',
    );
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), this.probeEveryMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    if (this.settling && now >= this.settling.until) {
      const s = this.settling;
      this.settling = undefined;
      if (s.errors > 0) {
        this.log.info(
          { redis: 'up', errors: s.errors, sources: [...s.sources], lastError: s.lastError },
          'connections that reconnected after the recovery reported errors meanwhile (counted, not logged)',
        );
      }
    }
    if (this.down) {
      const d = this.down;
      if (now - d.lastSummary >= this.summaryEveryMs) {
        d.lastSummary = now;
        this.log.warn(
          {
            redis: 'down',
            downForMs: now - d.since,
            errors: d.errors,
            sources: [...d.sources],
            lastError: d.lastError,
          },
          'Redis still unreachable',
        );
      }
      if (!this.probing) {
        this.probing = true;
        try {
          await this.probe();
          this.down = undefined;
          this.log.info(
            { redis: 'up', downForMs: Date.now() - d.since, errors: d.errors, sources: [...d.sources] },
            'Redis reachable again',
          );
          this.settling = {
            since: Date.now(),
            until: Date.now() + this.settleMs,
            errors: 0,
            sources: new Set(),
            lastError: '',
          };
        } catch {
          // still down: the next tick probes again
        } finally {
          this.probing = false;
        }
      }
    }
    if (this.down || this.settling) this.schedule();
  }
}
