/**
 * `npm run bench`: the whole desk under load, on embedded Redis, Dovecot and
 * SMTP. BENCH_CASES partner mails (License Transfer Form + card form) are
 * appended to the mailbox at once; the benchmark measures how long until every
 * case is moved and its partner mailed, per-stage costs, and the desk
 * process's memory while it works. A benchmark, not a test: it prints numbers.
 */
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config/config.js';
import { snapshotOf, type RegistryDocument } from '../domain/registry-model.js';
import { reviewAltigen } from '../domain/programs/altigen/review.js';
import { startDovecot } from '../embedded/dovecot.js';
import { buildPartnerMail } from '../embedded/mail-builder.js';
import { startRedis } from '../embedded/redis-server.js';
import { startSmtpSink } from '../embedded/smtp-sink.js';
import { fillForm } from '../forms/form-filler.js';
import { readPdfIsolated } from '../forms/isolated-reader.js';
import { readPdfForm } from '../forms/pdf-reader.js';
import { typeForm } from '../forms/typing.js';
import { openDesk } from '../workers/desk-context.js';
import { CpuSampler, findPid } from './process-cpu.js';
import { commandCalls, redisFloor } from './redis-floor.js';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CASES = Number(process.env.BENCH_CASES ?? 200);
const PARTNERS = Math.max(1, Math.min(20, Math.ceil(CASES / 10)));
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const out = (s = '') => process.stdout.write(`${s}\n`);
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0; };
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

function registry(): RegistryDocument {
  const doc: RegistryDocument = {
    catalog: [{ sku: 'ALTI-STATION-10', kind: 'station', count: 10, lifecycle: 'orderable', listPrice: { USD: 1500 }, saYearly: { USD: 150 } }],
    partners: [], endUsers: [], systems: [], licenses: [], cases: [],
  };
  for (let p = 0; p < PARTNERS; p++) {
    doc.partners.push({ id: `P-${p}`, name: `Partner ${p}`, currency: 'USD', contacts: [`ops@p${p}.example`], standardDiscountPct: 10 });
    doc.endUsers.push({ id: `EU-${p}`, name: `End user ${p}`, partnerId: `P-${p}` });
  }
  for (let i = 0; i < CASES; i++) {
    const p = i % PARTNERS;
    doc.systems.push({ key: `S-${i}-A`, endUserId: `EU-${p}`, program: 'altigen', model: 'Max1000', platform: 'physical', registered: true, saExpiresOn: day(-30) });
    doc.systems.push({ key: `S-${i}-B`, endUserId: `EU-${p}`, program: 'altigen', model: 'Max2000', platform: 'physical', registered: true, saExpiresOn: day(300) });
    doc.licenses.push({ key: `LK-${i}`, systemKey: `S-${i}-A`, sku: 'ALTI-STATION-10', quantity: 1 });
    doc.cases.push({ number: String(500000 + i), partnerId: `P-${p}`, systemKey: `S-${i}-B`, program: 'altigen', openedAt: new Date().toISOString() });
  }
  return doc;
}

async function mailFor(i: number): Promise<Buffer> {
  const p = i % PARTNERS;
  const n = String(500000 + i);
  const lt = await fillForm('license-transfer/v1', {
    form_id: 'license-transfer/v1', case_number: n, partner_id: `P-${p}`, partner_name: `Partner ${p}`, contact_email: `ops@p${p}.example`,
    end_user_id: `EU-${p}`, end_user_name: `End user ${p}`, from_system_key: `S-${i}-A`, to_system_key: `S-${i}-B`, to_chassis_model: 'Max2000',
    license_keys: `LK-${i}`, software_only_upgrade: false, signer_name: 'Bench', signed_on: day(0),
  });
  const cc = await fillForm('card-authorization/v1', {
    form_id: 'card-authorization/v1', case_number: n, cardholder_name: 'Bench', card_number: '4111111111111111', card_expiry: '12/39',
    billing_postcode: '1000', max_amount: '5000.00', currency: 'USD', signer_name: 'Bench', signed_on: day(0),
  });
  return buildPartnerMail({ from: `ops@p${p}.example`, to: 'desk@bench.example', subject: `Case ${n}`, text: 'bench', attachments: [{ filename: 'lt.pdf', content: lt }, { filename: 'cc.pdf', content: cc }] });
}

async function stageCosts(sample: Buffer): Promise<number> {
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(sample);
  const pdf = new Uint8Array(parsed.attachments[0]!.content);
  const N = 30;
  let t = performance.now();
  for (let i = 0; i < N; i++) await readPdfForm(pdf);
  const inProc = (performance.now() - t) / N;
  t = performance.now();
  for (let i = 0; i < 10; i++) await readPdfIsolated(pdf);
  const isolated = (performance.now() - t) / 10;
  const raw = await readPdfForm(pdf);
  const reg = registry();
  const snap = snapshotOf(reg);
  const typed = raw.ok ? typeForm(raw.form, { now: new Date() }) : undefined;
  const forms = typed && 'form' in typed ? { 'license-transfer/v1': typed.form } : {};
  t = performance.now();
  const R = 2000;
  for (let i = 0; i < R; i++) {
    reviewAltigen({ caseNumber: '500000', registryCase: reg.cases[0]!, forms: forms as never, formProblems: [], discardedFields: [] }, snap, { now: () => new Date() });
  }
  const review = (performance.now() - t) / R;
  out('per stage (one License Transfer Form):');
  out(`  PDF form read in-process      ${inProc.toFixed(1)} ms`);
  out(`  PDF form read isolated        ${isolated.toFixed(1)} ms (child process with time and memory budget)`);
  out(`  AltiGen review (pure rules)   ${(review * 1000).toFixed(0)} µs`);
  return inProc;
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  out(`licensedesk bench: ${CASES} cases from ${PARTNERS} partners, node ${process.version}`);
  const [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  try {
    const mails: Buffer[] = [];
    for (let i = 0; i < CASES; i++) mails.push(await mailFor(i));
    const formMs = await stageCosts(mails[0]!);
    const floor = await redisFloor(redis.port);
    out('the floor (what this machine allows):');
    out(`  reading a case's two forms    ${(2 * formMs).toFixed(1)} ms in-process: ${(1000 / (2 * formMs)).toFixed(0)} cases/s a core`);
    out(`  raw Redis                     ${floor.pipelinedOpsPerSec.toFixed(0)} ops/s pipelined, ${floor.roundTripOpsPerSec.toFixed(0)} ops/s one round trip at a time`);
    const env = {
      LICENSEDESK_REDIS_URL: redis.url, LICENSEDESK_IMAP_URL: dovecot.imapUrl('bench'), LICENSEDESK_SMTP_URL: smtp.url,
      LICENSEDESK_REPS_ADDRESS: 'reps@bench.example', LICENSEDESK_SECRET: randomBytes(24).toString('base64url'),
      LICENSEDESK_REPLY_LIMIT_PER_HOUR: '1000', LICENSEDESK_CONCURRENCY: process.env.BENCH_CONCURRENCY ?? '8',
      LICENSEDESK_HTTP_PORT: '0', LOG_LEVEL: 'warn',
    };
    const ctx = await openDesk(loadConfig({ ...process.env, ...env }));
    await ctx.registry.import(registry());
    // Drain (default): the mailbox is pre-loaded, then BENCH_DESKS desk processes start. With BENCH_RATE the
    // desk runs first and mail is appended at that steady rate (latency from APPEND to the partner's mail).
    const RATE = Number(process.env.BENCH_RATE ?? 0);
    const DESKS = Math.max(1, Number(process.env.BENCH_DESKS ?? 1));
    const appendedAt = new Map<string, number>();
    const t0 = performance.now();
    const callsBefore = await commandCalls(redis.port);
    const append = async (i: number) => { await dovecot.append('bench', mails[i]!); appendedAt.set(String(500000 + i), performance.now()); };
    if (!RATE) for (let i = 0; i < CASES; i++) await append(i);
    const startedAt = performance.now();
    // The desk runs as operators run it, in its own process, so its memory is measured alone.
    const startOne = () => spawn(process.execPath, [fileURLToPath(new URL('../cli/main.js', import.meta.url)), 'start'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    const desks = Array.from({ length: DESKS }, startOne);
    const desk = desks[0]!;
    const redisPid = Number(/process_id:(\d+)/.exec(await ctx.redis.info('server'))?.[1]);
    const dovecotPid = findPid(`${dovecot.dir}/dovecot.conf`);
    const cpu = new CpuSampler({
      ...Object.fromEntries(desks.map((d, i) => [`desk ${i + 1} main process`, { pid: () => d.pid, take: 'root' as const }])),
      ...Object.fromEntries(desks.map((d, i) => [`desk ${i + 1} parse children`, { pid: () => d.pid, take: 'children' as const }])),
      'redis-server': { pid: () => redisPid, take: 'root' },
      'dovecot (all processes)': { pid: () => dovecotPid, take: 'both' },
    });
    cpu.start();
    const rss: number[] = [];
    const pageSize = 4096;
    const sampler = setInterval(() => {
      try { rss.push(Number(readFileSync(`/proc/${desk.pid}/statm`, 'utf8').split(' ')[1]) * pageSize); } catch { /* not started yet or gone */ }
    }, 250);
    if (RATE) {
      // Paced, not all at once: each append starts at its slot (late ones catch up without bursting), over one
      // IMAP connection (a login per message would cap the offered rate below 20 a second on a busy machine).
      await dovecot.withClient('bench', async (client) => {
        for (let i = 0; i < CASES; i++) {
          const wait = startedAt + 2000 + (i * 1000) / RATE - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          await client.append('INBOX', mails[i]!);
          appendedAt.set(String(500000 + i), performance.now());
        }
      });
    }
    const appendMs = performance.now() - t0;
    const latencies: number[] = [];
    const seen = new Set<string>();
    while (seen.size < CASES) {
      for (const m of smtp.messages()) {
        if (String(m.parsed.headers.get('x-licensedesk-kind')) !== 'transferred') continue;
        const n = String(m.parsed.headers.get('x-licensedesk-case'));
        if (seen.has(n)) continue;
        seen.add(n);
        latencies.push(performance.now() - appendedAt.get(n)!);
      }
      if (performance.now() - t0 > 600_000) {
        const states = (await ctx.cases.list()).map((c) => c.state);
        for (const d of desks) d.kill('SIGKILL');
        throw new Error(`only ${seen.size} of ${CASES} cases done after 10 minutes; case states: ${JSON.stringify(states.slice(0, 20))}`);
      }
      if (process.env.BENCH_DEBUG && Math.round(performance.now() - t0) % 5000 < 100) {
        const cs = await ctx.cases.list();
        out(`  … ${seen.size} mailed; ${cs.length} cases: ${JSON.stringify(cs.slice(0, 3).map((c) => [c.state, c.findings.filter((f) => f.outcome !== 'pass' && f.outcome !== 'info')]))}; queue ${JSON.stringify(await ctx.queues.intake.getJobCounts())}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const totalMs = performance.now() - t0;
    const drainMs = performance.now() - startedAt;
    clearInterval(sampler);
    const cpuMs = cpu.stop();
    const calls = (await commandCalls(redis.port)) - callsBefore;
    const moved = (await ctx.cases.list('transferred')).length;
    await Promise.all(desks.map((d) => { const exited = new Promise((r) => d.once('close', r)); d.kill('SIGTERM'); return exited; }));
    await ctx.close();
    out('');
    out('end to end (IMAP APPEND -> moved -> partner mailed):');
    out(`  cases moved                   ${moved} of ${CASES}`);
    out(`  appending took                ${(appendMs / 1000).toFixed(1)} s`);
    out(`  all done after                ${(totalMs / 1000).toFixed(1)} s  (${(CASES / (totalMs / 1000)).toFixed(1)} cases/s)`);
    out(`  latency per case              p50 ${(pct(latencies, 50) / 1000).toFixed(2)} s, p95 ${(pct(latencies, 95) / 1000).toFixed(2)} s, p99 ${(pct(latencies, 99) / 1000).toFixed(2)} s, max ${(Math.max(...latencies) / 1000).toFixed(2)} s${RATE ? ` (appends paced at ${RATE}/s)` : ' (mailbox pre-loaded: includes the wait in the mailbox)'}`);
    if (!RATE) out(`  drain with ${DESKS} desk process${DESKS > 1 ? 'es' : ''}       ${(CASES / (drainMs / 1000)).toFixed(1)} cases/s (${(drainMs / 1000).toFixed(1)} s from start)`);
    out(`  Redis commands per case       ${(calls / CASES).toFixed(0)}`);
    out('  CPU per case:');
    for (const [name, ms] of Object.entries(cpuMs)) out(`    ${name.padEnd(28)}${(ms / CASES).toFixed(1)} ms`);
    const third = Math.max(1, Math.floor(rss.length / 3));
    out(`  desk process RSS (alone)      first third max ${mb(Math.max(...rss.slice(0, third)))}, last third max ${mb(Math.max(...rss.slice(-third)))}, peak ${mb(Math.max(...rss))}`);
  } finally {
    await Promise.all([smtp.stop(), dovecot.stop(), redis.stop()]);
  }
}

await main();
process.exit(0);
