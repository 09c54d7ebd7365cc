/**
 * `npm run bench:large`: what large mail costs the desk. BENCH_LARGE_MAILS
 * (default 4) messages of about BENCH_LARGE_MB (default 20) MB each, every one
 * with one big PDF, arrive at once for different cases; the desk runs with
 * four intake jobs at a time, once under the default parse budget
 * (LICENSEDESK_PARSE_BUDGET_BYTES: twice the 25 MB message limit) and once
 * under a budget that never binds. Prints the desk process's peak RSS growth
 * (VmHWM over a warmed-up baseline) and how long until every sender had an
 * answer. A benchmark, not a test.
 */
import { altigen } from '../domain/programs/altigen/program.js';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/config.js';
import { startDovecot, type RunningDovecot } from '../embedded/dovecot.js';
import { buildPartnerMail } from '../embedded/mail-builder.js';
import { startRedis, type RunningRedis } from '../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../embedded/smtp-sink.js';
import { openDesk } from '../workers/desk/context.js';
import type { RegistryDocument } from '../domain/registry-model.js';

const MAILS = Number(process.env.BENCH_LARGE_MAILS ?? 4);
const MESSAGE_MB = Number(process.env.BENCH_LARGE_MB ?? 20);
const MB = 1024 * 1024;
const out = (s = '') => process.stdout.write(`${s}\n`);

function registry(): RegistryDocument {
  const doc: RegistryDocument = {
    catalog: [
      {
        sku: 'ALTI-STATION-10',
        kind: 'station',
        count: 10,
        lifecycle: 'orderable',
        listPrice: { USD: 1500 },
        saYearly: { USD: 150 },
      },
    ],
    partners: [{ id: 'P-1', name: 'Partner', currency: 'USD', contacts: ['ops@p1.example'], standardDiscountPct: 10 }],
    endUsers: [{ id: 'EU-1', name: 'End user', partnerId: 'P-1' }],
    systems: [],
    licenses: [],
    cases: [],
  };
  for (let i = 0; i <= MAILS; i++) {
    doc.systems.push({
      key: `S-${i}`,
      endUserId: 'EU-1',
      program: altigen.id,
      model: 'Max2000',
      platform: 'physical',
      registered: true,
      saExpiresOn: '2099-01-01',
    });
    doc.cases.push({
      number: String(600000 + i),
      partnerId: 'P-1',
      systemKey: `S-${i}`,
      program: altigen.id,
      openedAt: new Date().toISOString(),
    });
  }
  return doc;
}

function peakRss(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) * 1024;
}

const mail = (caseNumber: string, messageId: string, pdf?: Buffer): Promise<Buffer> =>
  buildPartnerMail({
    from: 'ops@p1.example',
    to: 'desk@bench.example',
    subject: `Case ${caseNumber}`,
    text: 'scan attached',
    messageId,
    attachments: pdf ? [{ filename: 'scan.pdf', content: pdf }] : [],
  });

async function answered(smtp: SmtpSink, messageId: string): Promise<void> {
  await smtp.waitFor((m) => m.parsed.inReplyTo === messageId, 300_000, `answer to ${messageId}`);
}

async function run(
  servers: { redis: RunningRedis; dovecot: RunningDovecot; smtp: SmtpSink },
  tag: string,
  budgetBytes: number,
  bigMails: Buffer[],
): Promise<{ growth: number; seconds: number }> {
  const env = {
    LICENSEDESK_REDIS_URL: servers.redis.url,
    LICENSEDESK_IMAP_URL: servers.dovecot.imapUrl(tag),
    LICENSEDESK_SMTP_URL: servers.smtp.url,
    LICENSEDESK_PREFIX: tag,
    LICENSEDESK_REPS_ADDRESS: 'reps@bench.example',
    LICENSEDESK_SECRET: randomBytes(24).toString('base64url'),
    LICENSEDESK_REPLY_LIMIT_PER_HOUR: '1000',
    LICENSEDESK_CONCURRENCY: '4',
    LICENSEDESK_HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
    LICENSEDESK_PARSE_BUDGET_BYTES: String(budgetBytes),
  };
  const ctx = await openDesk(loadConfig({ ...process.env, ...env }));
  await ctx.registry.import(registry());
  await ctx.close();
  const desk = spawn(process.execPath, [fileURLToPath(new URL('../cli/main.js', import.meta.url)), 'start'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    // Warm up with one small mail through every stage, so the baseline has everything loaded.
    await servers.dovecot.append(tag, await mail('600000', `<warm.${tag}@p1.example>`));
    await answered(servers.smtp, `<warm.${tag}@p1.example>`);
    const baseline = peakRss(desk.pid!);
    const t0 = performance.now();
    const ids = bigMails.map((_, i) => `<big.${tag}.${i}@p1.example>`);
    for (const [i, raw] of bigMails.entries())
      await servers.dovecot.append(tag, Buffer.from(raw.toString('latin1').replace('<BIG-ID>', ids[i]!), 'latin1'));
    for (const id of ids) await answered(servers.smtp, id);
    return { growth: peakRss(desk.pid!) - baseline, seconds: (performance.now() - t0) / 1000 };
  } finally {
    const exited = new Promise((r) => desk.once('close', r));
    desk.kill('SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  const pdfBytes = Math.floor((MESSAGE_MB * MB * 3) / 4); // base64 makes 3 bytes 4
  out(
    `licensedesk bench:large: ${MAILS} messages of ${MESSAGE_MB} MB (a ${(pdfBytes / MB).toFixed(0)} MB PDF each) at once, 4 intake jobs at a time, node ${process.version}`,
  );
  const [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  try {
    const bigMails: Buffer[] = [];
    for (let i = 1; i <= MAILS; i++)
      bigMails.push(
        await mail(String(600000 + i), '<BIG-ID>', Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(pdfBytes)])),
      );
    const limit = loadConfig({}).maxMessageBytes;
    const bounded = await run({ redis, dovecot, smtp }, 'bounded', 2 * limit, bigMails);
    const unbounded = await run({ redis, dovecot, smtp }, 'unbounded', 64 * 1024 * MB, bigMails);
    out('');
    out(
      `  parse budget ${((2 * limit) / MB).toFixed(0)} MB (default)   peak RSS growth ${(bounded.growth / MB).toFixed(0)} MB, all answered after ${bounded.seconds.toFixed(1)} s`,
    );
    out(
      `  no parse budget            peak RSS growth ${(unbounded.growth / MB).toFixed(0)} MB, all answered after ${unbounded.seconds.toFixed(1)} s`,
    );
  } finally {
    await Promise.all([smtp.stop(), dovecot.stop(), redis.stop()]);
  }
}

await main();
process.exit(0);
