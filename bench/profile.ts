/**
 * `npm run bench:profile`: V8 CPU profiles of the desk and of its parse
 * children, summarised (profile-summary.ts). The desk's is taken by a drain
 * (`BENCH_PROFILE=DIR` on run.ts, which npm's script runs first); the
 * children's here: the real child scripts (forms/pdf-read-child.js,
 * mail/mime-parse-child.js) forked with --cpu-prof as the pool forks them, fed the
 * bench's mails over the same IPC, then disconnected, which ends them and
 * writes their profiles. Then every profile in DIR is summarised.
 */
import { fork } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { mailFor } from './bench-fixture.js';
import { summarise } from './profile-summary.js';

const DIR = process.env.BENCH_PROFILE ?? '/tmp/licensedesk-profile';
const N = Number(process.env.BENCH_PROFILE_MAILS ?? 200);

async function profileChild(script: string, jobs: Array<Record<string, unknown>>): Promise<void> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    execArgv: ['--cpu-prof', `--cpu-prof-dir=${DIR}`],
    env: {},
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const replies = new Map<number, () => void>();
  child.on('message', (m: { id?: number; ready?: boolean }) => {
    if (m.id !== undefined) replies.get(m.id)?.();
  });
  await new Promise<void>((r) =>
    child.on('message', (m: { ready?: boolean }) => {
      if (m.ready) r();
    }),
  );
  for (let id = 0; id < jobs.length; id++) {
    await new Promise<void>((r) => {
      replies.set(id, r);
      child.send({ id, ...jobs[id] });
    });
  }
  const exited = new Promise((r) => child.once('exit', r));
  child.disconnect();
  await exited;
}

const mails: Buffer[] = [];
for (let i = 0; i < N; i++) mails.push(await mailFor(i, 20));
const pdfs: Uint8Array[] = [];
for (const m of mails) for (const a of (await simpleParser(m)).attachments) pdfs.push(new Uint8Array(a.content));
await profileChild(
  '../mail/mime-parse-child.js',
  mails.map((raw) => ({ raw: new Uint8Array(raw) })),
);
await profileChild(
  '../forms/pdf-read-child.js',
  pdfs.map((bytes) => ({ bytes, timeoutMs: 15_000 })),
);
for (const f of readdirSync(DIR)
  .filter((f) => f.endsWith('.cpuprofile'))
  .sort()) {
  process.stdout.write(`${summarise(join(DIR, f)).join('\n')}\n`);
}
process.exit(0);
