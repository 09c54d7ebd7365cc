/**
 * Kept mail in the IMAP folders is found again by the UID the ingester
 * recorded, and touched only when its Message-ID header is exactly the
 * stored mail's. IMAP `SEARCH HEADER Message-ID` matches a substring (RFC
 * 3501), so a stranger's mail whose Message-ID is `@` or `example` must not
 * take every partner mail with it when its card form is removed, when it is
 * moved to Quarantine, or when its retention ends. Real redis-server, Dovecot
 * and SMTP, the desk as `licensedesk start`; every folder is counted before
 * and after each attack.
 */
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { altigenRegistry, partnerMail } from '../support/altigen-fixture.js';
import { cliJson, runCli, startDesk, type DeskProcess } from '../support/desk-process.js';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { buildPartnerMail } from '../../embedded/mail-builder.js';
import { waitFor } from '../../embedded/net.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';

const USER = 'desk-imap-copies';
const STRIPPED = /X-Licensedesk-Card-Form-Removed/i;

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let env: Record<string, string>;
let desk: DeskProcess | undefined;

/** Every folder of the mailbox: its messages' Message-ID (or subject) and whether each is a stripped copy, sorted. */
async function folders(): Promise<Record<string, string[]>> {
  return dovecot.withClient(USER, async (client) => {
    const out: Record<string, string[]> = {};
    for (const box of await client.list()) {
      const lock = await client.getMailboxLock(box.path, { readOnly: true });
      try {
        const list: string[] = [];
        if (client.mailbox && client.mailbox.exists > 0)
          for (const m of await client.fetchAll('1:*', {
            envelope: true,
            headers: ['x-licensedesk-card-form-removed'],
          }))
            list.push(
              `${m.envelope?.messageId ?? `(no Message-ID) ${m.envelope?.subject ?? ''}`}${STRIPPED.test(m.headers?.toString('latin1') ?? '') ? ' stripped' : ''}`,
            );
        out[box.path] = list.sort();
      } finally {
        lock.release();
      }
    }
    return out;
  });
}

/** Waits until the folders are `want`, then checks they stay so over two more ingester passes. */
async function foldersBecome(want: Record<string, string[]>, what: string): Promise<void> {
  let seen: Record<string, string[]> = {};
  const same = async () => JSON.stringify((seen = await folders())) === JSON.stringify(want);
  await waitFor(same, 60_000, what).catch((e: Error) => {
    throw new Error(
      `${e.message}\nfolders: ${JSON.stringify(seen, null, 1)}\nwanted: ${JSON.stringify(want, null, 1)}`,
    );
  });
  await new Promise((r) => setTimeout(r, 6000));
  expect(await folders(), `${what}, a few passes later`).toEqual(want);
}

/** A stranger's mail with its Message-ID header exactly `messageId` (a mail library would put it in angle brackets). */
async function stranger(subject: string, messageId: string, junk: boolean): Promise<Buffer> {
  const raw = await buildPartnerMail({
    from: 'mallory@evil.example',
    to: 'desk@licensedesk.test',
    subject,
    text: 'hello',
    messageId: '<placeholder@evil.example>',
    // Not a PDF: the desk cannot tell it holds no card number, so the card strip removes it.
    ...(junk ? { attachments: [{ filename: 'junk.pdf', content: Buffer.from('not a pdf at all') }] } : {}),
  });
  const text = raw
    .toString('latin1')
    .replace(/^Message-ID: <placeholder@evil\.example>$/im, `Message-ID: ${messageId}`);
  expect(text).toContain(`\r\nMessage-ID: ${messageId}\r\n`);
  return Buffer.from(text, 'latin1');
}

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  env = {
    LICENSEDESK_REDIS_URL: redis.url,
    LICENSEDESK_PREFIX: 'copies',
    LICENSEDESK_IMAP_URL: dovecot.imapUrl(USER),
    LICENSEDESK_SMTP_URL: smtp.url,
    LICENSEDESK_DESK_ADDRESS: 'desk@licensedesk.test',
    LICENSEDESK_REPS_ADDRESS: 'reps@licensedesk.test',
    LICENSEDESK_HTTP_PORT: '0',
    LICENSEDESK_SECRET: 'imap-copies-secret-0123456789abcdef',
  };
  const file = join(tmpdir(), `ld-imap-copies-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(altigenRegistry()));
  const r = await runCli(['registry', 'import', file], env);
  rmSync(file, { force: true }); // the registry is in Redis now; leave nothing in /tmp
  expect(r.code, r.stderr).toBe(0);
  desk = startDesk(env);
}, 60_000);

afterAll(async () => {
  await desk?.stop();
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

describe("item 4: a crafted Message-ID touches no other partner's kept mail", () => {
  const kept = ['<v1@acme.example>', '<v2@acme.example>'];
  const held = '<v3@elsewhere.example>';
  let before: Record<string, string[]> = {};

  it("partner mail is kept in Processed, a stranger's in Quarantine", async () => {
    await dovecot.append(USER, await partnerMail('[Case 200001] note', [], { messageId: kept[0] }));
    await dovecot.append(USER, await partnerMail('[Case 200002] note', [], { messageId: kept[1] }));
    await dovecot.append(
      USER,
      await partnerMail('[Case 200003] note', [], { messageId: held, from: 'someone@elsewhere.example' }),
    );
    before = { INBOX: [], Processed: [...kept], Quarantine: [held], Rejected: [] };
    await foldersBecome(before, 'the partner mail moved out of the INBOX');
  }, 90_000);

  it('DSK-5 a mail whose Message-ID is `@` with a junk PDF: its card strip replaces its own copy only', async () => {
    await dovecot.append(USER, await stranger('hello', '@', true));
    await foldersBecome(
      { ...before, Processed: [...before.Processed!, '@ stripped'].sort() },
      "the attacker's copy replaced by its stripped copy, and nothing else",
    );
  }, 120_000);

  it('DSK-3 a quarantined mail whose Message-ID is `example` moves only itself to Quarantine', async () => {
    await dovecot.append(USER, await stranger('[Case 200004] let me in', 'example', false));
    await foldersBecome(
      {
        ...before,
        Processed: [...before.Processed!, '@ stripped'].sort(),
        Quarantine: [...before.Quarantine!, 'example'].sort(),
      },
      'the quarantined mail moved to Quarantine, and nothing else',
    );
  }, 120_000);

  it('DSK-5 once their retention ends, the crafted mails are deleted and nothing else but what is due', async () => {
    await desk?.stop();
    const later = { ...env, LICENSEDESK_FAKE_NOW: new Date(Date.now() + 31 * 86_400_000).toISOString() };
    desk = startDesk(later);
    // The sweep now (its scheduler would run it within minutes): the stranger mails' period is over, the open
    // cases' mail stays while its case is open.
    await waitFor(
      async () => {
        const sweep = (await cliJson<Array<{ id: string; name: string; state: string }>>(['jobs', 'list'], later)).find(
          (j) => j.name === 'sweep' && j.state === 'delayed',
        );
        if (sweep) await runCli(['jobs', 'promote', sweep.id], later);
        return !!sweep;
      },
      60_000,
      'the sweep promoted',
    );
    await foldersBecome(
      { INBOX: [], Processed: [...kept], Quarantine: [], Rejected: [] },
      "the quarantined and caseless mail deleted, the open cases' mail kept",
    );
  }, 150_000);
});
