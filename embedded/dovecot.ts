/**
 * A real Dovecot 2.3 IMAP server per test run, on a free loopback port with its
 * own folder (config, sockets, logs and one Maildir per user).
 *
 * Any username logs in with the password `pass`; each user gets a fresh Maildir
 * under `<dir>/home/<user>`, so each test file can use its own user as an
 * isolated mailbox. INBOX, Processed, Rejected and Quarantine exist for every user.
 *
 * Dovecot refuses to run its login process as root, so when the tests run as
 * root the server runs as `nobody:nogroup` (via runuser) and the folder is
 * owned by that user; otherwise it runs as the current user.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort, waitFor } from './net.js';

export const DOVECOT_PASSWORD = 'pass';

export interface ImapMessageSummary {
  uid: number;
  subject?: string;
  messageId?: string;
  flags: string[];
}

export interface RunningDovecot {
  host: string;
  port: number;
  /** The server's folder (config, run/, dovecot.log, home/<user>/Maildir). */
  dir: string;
  /**
   * `imap://user:pass@127.0.0.1:port/INBOX?tls=optional` (user and mailbox URL-encoded): this Dovecot speaks
   * plaintext on loopback only, so the desk is told to allow it (a plain `imap://` URL requires STARTTLS).
   */
  imapUrl(user: string, mailbox?: string): string;
  /** A real IMAP APPEND as `user` into `mailbox` (default INBOX). */
  append(user: string, rawMessage: string | Buffer, mailbox?: string): Promise<void>;
  /** The messages in `mailbox` of `user`, by ascending UID (EXAMINE: flags are not changed; \Recent left out). */
  list(user: string, mailbox: string): Promise<ImapMessageSummary[]>;
  /** Runs `fn` with a connected imapflow client logged in as `user`; always logs out/closes. */
  withClient<T>(user: string, fn: (client: ImapFlow) => Promise<T>): Promise<T>;
  /** The tail of dovecot.log (for failure messages). */
  logTail(lines?: number): string;
  /** Stops the master (SIGTERM to master.pid) and removes the folder unless keepData. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
  /** Stops the master and starts it again on the same port and folder (mail kept): an IMAP server restart. */
  restart(): Promise<void>;
}

export const DOVECOT_MAILBOXES = ['Processed', 'Rejected', 'Quarantine'] as const;

/** The shared dev/dovecot-test.conf.in (Dovecot 2.3), with Quarantine added. */
function dovecotConf(v: { root: string; port: number; user: string; group: string }): string {
  const mailboxes = DOVECOT_MAILBOXES.map((m) => `  mailbox ${m} {\n    auto = subscribe\n  }`).join('\n');
  return `# Throwaway Dovecot 2.3 IMAP server for integration tests (written by test/support/dovecot.ts).
protocols = imap
listen = 127.0.0.1
base_dir = ${v.root}/run
state_dir = ${v.root}/state
log_path = ${v.root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0

default_internal_user = ${v.user}
default_internal_group = ${v.group}
default_login_user = ${v.user}

# any username, password "${DOVECOT_PASSWORD}"; each user gets ${v.root}/home/<user>/Maildir
passdb {
  driver = static
  args = password=${DOVECOT_PASSWORD}
}
userdb {
  driver = static
  args = uid=${v.user} gid=${v.group} home=${v.root}/home/%u
}
mail_location = maildir:~/Maildir
mail_fsync = never

namespace inbox {
  inbox = yes
  separator = /
${mailboxes}
}

service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${v.port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
  # No auth penalty: otherwise one wrong-password login delays every later
  # login from 127.0.0.1 by 2-15 s (login_trusted_networks does not help in 2.3).
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`;
}

interface RunAs {
  user: string;
  group: string;
  uid: number;
  gid: number;
  viaRunuser: boolean;
}

function runAs(): RunAs {
  if (process.getuid?.() === 0) {
    const user = 'nobody';
    const id = (flag: string) => execFileSync('id', [flag, user], { encoding: 'utf8' }).trim();
    return { user, group: id('-gn'), uid: Number(id('-u')), gid: Number(id('-g')), viaRunuser: true };
  }
  const me = userInfo();
  const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  return { user: me.username, group, uid: me.uid, gid: me.gid, viaRunuser: false };
}

/** Resolves true once the server sends its `* OK` greeting. */
function imapGreets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = netConnect({ host: '127.0.0.1', port });
    let buf = '';
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.on('error', () => done(false));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.includes('\n')) done(buf.startsWith('* OK'));
    });
    sock.on('end', () => done(false));
  });
}

/**
 * Runs `dovecot -F -c $1` and stops it (SIGTERM) once our stdin closes, so a
 * test worker that is killed without calling stop() does not leave the server
 * running (vitest ends its workers without running 'exit' handlers). Exits
 * with dovecot's status.
 */
const WATCHDOG = [
  // A background job's stdin is /dev/null in a non-interactive sh, so keep the pipe as fd 3.
  'exec 3<&0',
  'dovecot -F -c "$1" </dev/null 3<&- & pid=$!',
  '(cat <&3 >/dev/null; kill -TERM $pid 2>/dev/null) &',
  'exec 3<&-',
  'wait $pid',
].join('\n');

function othersCanTraverse(path: string): boolean {
  for (let p = resolve(path); ; p = dirname(p)) {
    try {
      if ((statSync(p).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (p === dirname(p)) return true;
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function startDovecot(): Promise<RunningDovecot> {
  const who = runAs();
  // Unix socket paths are limited to ~108 bytes, and the unprivileged user must
  // reach the folder: fall back to /tmp for a long or private TMPDIR.
  const base = tmpdir().length > 40 || (who.viaRunuser && !othersCanTraverse(tmpdir())) ? '/tmp' : tmpdir();
  const dir = mkdtempSync(join(base, 'ld-dovecot-'));
  const conf = join(dir, 'dovecot.conf');
  const log = join(dir, 'dovecot.log');
  chownSync(dir, who.uid, who.gid);

  let proc: ChildProcess | undefined;
  let port = 0;
  let stderr = '';
  let masterPid: number | undefined;

  const launch = async (samePort = false): Promise<void> => {
    if (!samePort) port = await freePort();
    writeFileSync(conf, dovecotConf({ root: dir, port, user: who.user, group: who.group }));
    chownSync(conf, who.uid, who.gid);
    stderr = '';
    const shArgs = ['sh', '-c', WATCHDOG, 'dovecot-watchdog', conf];
    const [cmd, args] = who.viaRunuser ? ['runuser', ['-u', who.user, '--', ...shArgs]] : ['sh', shArgs.slice(1)];
    // stdin is a pipe only the watchdog reads: it closes when this process dies.
    const child = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    proc = child;
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdin?.on('error', () => {
      /* EPIPE once the watchdog is gone */
    });
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    let failed: Error | undefined;
    void spawnError.then((e) => {
      failed = e;
    });
    await waitFor(
      async () => {
        if (failed) throw new Error(`cannot start ${cmd}: ${failed.message}`);
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(
            `dovecot exited (${child.exitCode ?? child.signalCode}) during start-up\n${stderr}\n${tail(log, 20)}`,
          );
        }
        return imapGreets(port);
      },
      15_000,
      `dovecot on 127.0.0.1:${port} (log: ${log})`,
    );
    masterPid = readMasterPid();
  };

  // The free port may be taken between freePort() and bind(): retry with a new one.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (err) {
      const inUse = /Address already in use/.test(`${(err as Error).message}`);
      await halt();
      if (!inUse || attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }

  async function halt(): Promise<void> {
    const child = proc;
    if (!child) return;
    proc = undefined;
    const pid = masterPid ?? readMasterPid();
    masterPid = undefined;
    if (child.exitCode !== null || child.signalCode !== null) {
      child.stdin?.end();
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // SIGTERM to the master; without a pid (still starting), closing stdin makes the watchdog send it.
    try {
      if (pid) process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    child.stdin?.end();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      exited,
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          try {
            if (pid) process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
          child.kill('SIGKILL');
          resolve();
        }, 5000);
      }),
    ]);
    clearTimeout(timer);
  }

  function readMasterPid(): number | undefined {
    try {
      return Number(readFileSync(join(dir, 'run', 'master.pid'), 'utf8').trim()) || undefined;
    } catch {
      return undefined;
    }
  }

  const withClient = async <T>(user: string, fn: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      auth: { user, pass: DOVECOT_PASSWORD },
      logger: false,
      disableAutoIdle: true,
    });
    let lastError: unknown;
    client.on('error', (e: unknown) => {
      lastError = e;
    });
    try {
      await client.connect();
    } catch (err) {
      client.close();
      throw new Error(`IMAP connect as ${user} to 127.0.0.1:${port} failed: ${(err as Error).message}`, { cause: err });
    }
    try {
      return await fn(client);
    } catch (err) {
      if (lastError && err instanceof Error && !err.cause) err.cause = lastError;
      throw err;
    } finally {
      try {
        await client.logout();
      } catch {
        client.close();
      }
    }
  };

  let stopped = false;
  return {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    dir,
    imapUrl(user, mailbox = 'INBOX') {
      const box = mailbox.split('/').map(encodeURIComponent).join('/');
      return `imap://${encodeURIComponent(user)}:${DOVECOT_PASSWORD}@127.0.0.1:${port}/${box}?tls=optional`;
    },
    async append(user, rawMessage, mailbox = 'INBOX') {
      await withClient(user, async (client) => {
        const res = await client.append(mailbox, rawMessage);
        if (!res) throw new Error(`IMAP APPEND to ${user}/${mailbox} was refused`);
      });
    },
    async list(user, mailbox) {
      return withClient(user, async (client) => {
        const lock = await client.getMailboxLock(mailbox, { readOnly: true });
        try {
          const box = client.mailbox;
          if (!box || box.exists === 0) return [];
          const msgs = await client.fetchAll('1:*', { uid: true, envelope: true, flags: true });
          return msgs
            .map((m) => ({
              uid: m.uid,
              ...(m.envelope?.subject !== undefined ? { subject: m.envelope.subject } : {}),
              ...(m.envelope?.messageId !== undefined ? { messageId: m.envelope.messageId } : {}),
              // \Recent is per-session noise (and gone in IMAP4rev2): leave it out.
              flags: [...(m.flags ?? [])].filter((f) => f !== '\\Recent'),
            }))
            .sort((a, b) => a.uid - b.uid);
        } finally {
          lock.release();
        }
      });
    },
    withClient,
    logTail: (lines = 30) => tail(log, lines),
    async stop(opts) {
      if (stopped) return;
      stopped = true;
      await halt();
      if (!opts?.keepData) rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      if (stopped) return;
      await halt();
      // The old login processes may hold the port for a moment after the master is gone, and a master still
      // shutting down keeps its sockets ("Dovecot is already running? Socket already exists"): try again shortly.
      for (let attempt = 1; ; attempt++) {
        try {
          await launch(true);
          return;
        } catch (err) {
          await halt();
          if (
            !/Address already in use|already running\? Socket already exists/.test(`${(err as Error).message}`) ||
            attempt >= 30
          )
            throw err;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    },
  };
}
