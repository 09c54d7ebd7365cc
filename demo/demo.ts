/**
 * `licensedesk demo`: on a fresh machine, starts its own Redis, IMAP (Dovecot)
 * and SMTP sink on free loopback ports, loads demo data, delivers demo
 * partner mail, runs the whole desk and prints what happened and where to look.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/config.js';
import { startConsole } from '../console/console-server.js';
import { startDovecot } from '../embedded/dovecot.js';
import { freePort, waitFor } from '../embedded/net.js';
import { startRedis } from '../embedded/redis-server.js';
import { startSmtpSink } from '../embedded/smtp-sink.js';
import { openDesk } from '../workers/desk/context.js';
import { errors } from '../lib/errors.js';
import { packageRoot } from '../lib/paths.js';
import { DeskRunner } from '../workers/desk/runner.js';
import { demoMails } from './demo-mail.js';
import { demoRegistry } from './demo-registry.js';

const say = (line = '') => process.stdout.write(`${line}\n`);

function ensureServers(): void {
  const missing = ['redis-server', 'dovecot'].filter((bin) => {
    try {
      execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return;
  say(`installing ${missing.join(', ')} with scripts/install-deps.sh …`);
  try {
    execFileSync('bash', [join(packageRoot(), 'scripts', 'install-deps.sh')], { stdio: 'inherit' });
  } catch {
    throw errors.E_DEMO_SETUP(missing.join(', '));
  }
}

export async function runDemo(opts: { keepRunning: boolean }): Promise<void> {
  // The demo prints its own story on stdout; only warnings go to the log.
  process.env.LOG_LEVEL ??= 'warn';
  ensureServers();
  const redis = await startRedis();
  const dovecot = await startDovecot();
  const smtp = await startSmtpSink();
  const outDir = join(tmpdir(), `licensedesk-demo-${process.pid}`);
  mkdirSync(outDir, { recursive: true });
  let httpPort = Number(process.env.LICENSEDESK_HTTP_PORT ?? 8080);
  try {
    const probe = await import('node:net');
    await new Promise<void>((resolve, reject) => {
      const s = probe
        .createServer()
        .once('error', reject)
        .listen(httpPort, '127.0.0.1', () => s.close(() => resolve()));
    });
  } catch {
    httpPort = await freePort();
  }
  const env = {
    LICENSEDESK_REDIS_URL: redis.url,
    LICENSEDESK_IMAP_URL: dovecot.imapUrl('desk'),
    LICENSEDESK_SMTP_URL: smtp.url,
    LICENSEDESK_DESK_ADDRESS: 'desk@licensedesk.localhost',
    LICENSEDESK_REPS_ADDRESS: 'reps@licensedesk.localhost',
    LICENSEDESK_SALES_ADDRESS: 'sales@licensedesk.localhost',
    LICENSEDESK_WAREHOUSE_ADDRESS: 'warehouse@licensedesk.localhost',
    LICENSEDESK_HTTP_PORT: String(httpPort),
    LICENSEDESK_SECRET: randomBytes(24).toString('base64url'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const config = loadConfig({ ...process.env, ...env });
  const ctx = await openDesk(config);
  const runner = new DeskRunner(ctx, ['ingest', 'intake', 'review', 'transfer', 'followup', 'notify']);
  const stopAll = async () => {
    await runner.stop().catch(() => undefined);
    await web?.app.close().catch(() => undefined);
    await ctx.close().catch(() => undefined);
    await smtp.stop().catch(() => undefined);
    await dovecot.stop().catch(() => undefined);
    await redis.stop().catch(() => undefined);
  };
  let web: Awaited<ReturnType<typeof startConsole>> | undefined;
  try {
    await ctx.registry.import(demoRegistry(ctx.clock.now()));
    runner.start();
    web = await startConsole(ctx, httpPort);
    const mails = await demoMails();
    say('licensedesk demo');
    say(`  Redis ${redis.url}   IMAP ${dovecot.host}:${dovecot.port} (user desk)   SMTP sink ${smtp.url}`);
    say('');
    for (const m of mails) {
      await dovecot.append('desk', m.raw);
      say(`  delivered partner mail: ${m.label}${m.caseNumber ? ` (case ${m.caseNumber})` : ''}`);
    }
    const cases = mails.filter((m) => m.caseNumber).map((m) => m.caseNumber!);
    // Decided, and told: every case out of its passing states and its answer mailed.
    const answer: Record<string, string> = {
      transferred: 'transferred',
      'follow-up': 'transferred',
      'waiting-partner': 'incomplete',
      rejected: 'rejected',
      held: 'rep-held',
    };
    await waitFor(
      async () => {
        const kinds = smtp
          .messages()
          .map(
            (x) =>
              `${String(x.parsed.headers.get('x-licensedesk-case') ?? '')}:${String(x.parsed.headers.get('x-licensedesk-kind') ?? '')}`,
          );
        if (!kinds.some((k) => k === ':resend-instructions')) return false;
        for (const n of cases) {
          const d = await ctx.cases.get(n);
          const want = d ? answer[d.doc.state] : undefined;
          if (!want || !kinds.includes(`${n}:${want}`)) return false;
        }
        return true;
      },
      90_000,
      'the demo cases to be decided and answered',
    );
    say('');
    for (const n of cases) {
      const c = (await ctx.cases.get(n))!.doc;
      say(`case ${n}: ${c.state}`);
      for (const f of c.findings.filter((x) => x.outcome === 'fail' || x.outcome === 'hold'))
        say(`    ${f.rule} ${f.outcome}: ${f.message}`);
      for (const m of c.moves) say(`    moved ${m.licenseKey}: ${m.from} -> ${m.to}`);
      for (const f of c.fees) say(`    fee ${f.rule}: ${f.amount} ${f.currency} (${f.description})`);
    }
    say('');
    say(`mail sent by the desk (saved as .eml in ${outDir}):`);
    smtp.messages().forEach((m, i) => {
      const kind = String(m.parsed.headers.get('x-licensedesk-kind') ?? '');
      const file = join(outDir, `${String(i + 1).padStart(2, '0')}-${kind}.eml`);
      writeFileSync(file, m.raw);
      say(`  ${kind.padEnd(22)} to ${m.envelopeTo.join(', ').padEnd(32)} ${m.parsed.subject ?? ''}`);
    });
    say('');
    say(`reps' console:     ${web.url}/   (sign in with an account made first:)`);
    say(
      `  printf '%s\\n' 'a long passphrase' | LICENSEDESK_REDIS_URL=${redis.url} npx licensedesk user add rep@example.com --role rep`,
    );
    say(`queue dashboard:   ${web.url}/queues   (operators: --role operator)`);
    say('try the CLI against this demo desk:');
    say(`  LICENSEDESK_REDIS_URL=${redis.url} npx licensedesk case list`);
    say(`  LICENSEDESK_REDIS_URL=${redis.url} npx licensedesk case show 100001 --json`);
    say(`  LICENSEDESK_REDIS_URL=${redis.url} npx licensedesk audit 100001`);
    say(
      `  LICENSEDESK_REDIS_URL=${redis.url} npx licensedesk jobs list            # the SWAP's 7-day key follow-up (SWP-6)`,
    );
    say(`  LICENSEDESK_REDIS_URL=${redis.url} npx licensedesk case approve 100006 --by rep@example.com`);
    say(
      `  LICENSEDESK_REDIS_URL=${redis.url} npx licensedesk activation reactivate M-0001   # then case 100006 completes (AUD-2)`,
    );
    if (!opts.keepRunning) return;
    say('');
    say('running until Ctrl-C …');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  } finally {
    await stopAll();
  }
}
