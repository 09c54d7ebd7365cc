/**
 * The console as attackers try it, over raw HTTP from several client
 * addresses (127.0.0.2, 127.0.0.3, … all reach the loopback console from
 * their own address): the desk runs as `licensedesk start --only
 * notify,followup` on real redis-server and an SMTP sink; accounts are made
 * with `licensedesk user add`. Outcomes are read back through the CLI (audit
 * trail, jobs) and the mail the desk sends.
 *
 * - A rep reaches bull-board by no spelling of `/queues` (percent-encoded,
 *   doubled slash, dot segment, upper case, absolute-form target); an
 *   operator sees it, read only: its write API is refused.
 * - Failed sign-ins lock out the client that made them, not the account: a
 *   stranger's client cannot keep a rep out; the rep is told by mail, once.
 * - `X-Forwarded-For` is believed from the configured proxies only
 *   (LICENSEDESK_TRUSTED_PROXIES, loopback 127.0.0.1 and ::1 by default).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliJson, cliJsonLines, mailKind, runCli, startDesk, type DeskProcess } from '../support/desk-process.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';
import { freePort, waitFor } from '../../embedded/net.js';
import { runCliWithInput } from '../support/console-fixture.js';
import { deskEnv } from '../support/desk-env.js';

interface AuditLine {
  action: string;
  actor: string;
  reason?: string;
}
interface JobJson {
  id: string;
  queue: string;
  name: string;
  state: string;
}

const PREFIX = 'att';
const REPS = 'reps@desk.test';
const REP = 'rep.attacked@desk.test';
const REP_PASSWORD = 'rep attacked passphrase 1';
const LOOKER = 'rep.looker@desk.test';
const LOOKER_PASSWORD = 'rep looker passphrase 2';
const OPERATOR = 'ops.board@desk.test';
const OPERATOR_PASSWORD = 'operator board passphrase 3';

let redis: RunningRedis;
let smtp: SmtpSink;
let desk: DeskProcess;
let env: Record<string, string>;
let port: number;
let origin: string;

interface RawResponse {
  status: number;
  headers: Map<string, string[]>;
  body: string;
}

/**
 * One HTTP/1.1 request written byte for byte on a socket from `from` (the
 * request target exactly as given: no client normalises it), as an
 * attacker's tool sends it.
 */
function raw(
  from: string,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = {
      host: `127.0.0.1:${port}`,
      connection: 'close',
      ...headers,
      ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
    };
    const head = `${method} ${target} HTTP/1.1\r\n${Object.entries(all)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`;
    const sock = connect({ host: '127.0.0.1', port, localAddress: from });
    const chunks: Buffer[] = [];
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.on('error', reject);
    sock.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const lines = text.slice(0, split).split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
      const map = new Map<string, string[]>();
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        const k = l.slice(0, i).trim().toLowerCase();
        map.set(k, [...(map.get(k) ?? []), l.slice(i + 1).trim()]);
      }
      resolve({ status, headers: map, body: text.slice(split + 4) });
    });
    sock.write(head + (body ?? ''));
  });
}

/** A browser-like client at one address: keeps its cookies. */
class Client {
  private readonly cookies = new Map<string, string>();
  constructor(
    readonly from: string,
    private readonly extra: Record<string, string> = {},
  ) {}

  cookie(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async send(method: string, target: string, headers: Record<string, string> = {}, body?: string) {
    const r = await raw(
      this.from,
      method,
      target,
      { ...this.extra, ...(this.cookies.size ? { cookie: this.cookie() } : {}), ...headers },
      body,
    );
    for (const c of r.headers.get('set-cookie') ?? []) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    return r;
  }

  /** The CSRF token of the sign-in form (its secret now in this client's session). */
  async loginToken(): Promise<string> {
    const form = await this.send('GET', '/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
    if (!token) throw new Error(`no CSRF token on the sign-in page (${form.status})`);
    return token;
  }

  postLogin(token: string, email: string, password: string, headers: Record<string, string> = {}) {
    return this.send(
      'POST',
      '/login',
      { origin, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      new URLSearchParams({ _csrf: token, email, password }).toString(),
    );
  }

  /** Signs in (throws unless 303); returns a CSRF token of a signed-in page. */
  async signIn(email: string, password: string): Promise<string> {
    const r = await this.postLogin(await this.loginToken(), email, password);
    if (r.status !== 303) throw new Error(`sign-in of ${email} from ${this.from} answered ${r.status}`);
    const page = await this.send('GET', '/');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error('no CSRF token on the case list');
    return token;
  }
}

/** What bull-board's page sends with a write: the console's Origin, a CSRF token, JSON when there is a body. */
const writeHeaders = (token: string, body?: string): Record<string, string> => ({
  origin,
  'x-csrf-token': token,
  ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
});

const audit = () => cliJsonLines<AuditLine>(['audit'], env);
const jobs = () => cliJson<JobJson[]>(['jobs', 'list'], env);

beforeAll(async () => {
  [redis, smtp] = await Promise.all([startRedis(), startSmtpSink()]);
  port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  env = deskEnv(
    { redisUrl: redis.url, smtpUrl: smtp.url },
    {
      LICENSEDESK_PREFIX: PREFIX,
      LICENSEDESK_REPS_ADDRESS: REPS,
      LICENSEDESK_SALES_ADDRESS: undefined,
      LICENSEDESK_REPLY_LIMIT_PER_HOUR: undefined,
      LICENSEDESK_HTTP_PORT: String(port),
      LICENSEDESK_SECRET: 'test-secret-attackers-0123456789',
      // The sweep waits a day as a delayed job: the job the operator tries to promote, there throughout.
      LICENSEDESK_SWEEP_SECONDS: '86400',
    },
  );
  for (const [email, role, password] of [
    [REP, 'rep', REP_PASSWORD],
    [LOOKER, 'rep', LOOKER_PASSWORD],
    [OPERATOR, 'operator', OPERATOR_PASSWORD],
  ]) {
    const r = await runCliWithInput(['user', 'add', email!, '--role', role!], env, `${password}\n`);
    expect(r.code, r.stderr).toBe(0);
  }
  desk = startDesk(env, ['--only', 'notify,followup']);
  await waitFor(
    async () => {
      try {
        return (await fetch(`${origin}/health`)).ok;
      } catch {
        return false;
      }
    },
    20_000,
    `the console at ${origin}`,
  );
}, 60_000);

afterAll(async () => {
  const code = await desk?.stop();
  await Promise.all([smtp?.stop(), redis?.stop()]);
  expect(code).toBe(0);
});

describe('bull-board: no spelling of /queues lets a rep in, and operators see it read only', () => {
  it('a rep gets 403 or 404, never 200, for /queues spelt percent-encoded, doubled, upper case, with a dot segment or as an absolute-form target', async () => {
    const looker = new Client('127.0.0.2');
    const token = await looker.signIn(LOOKER, LOOKER_PASSWORD);
    const targets = [
      '/queues',
      '/queues/',
      '/queues/api/queues',
      '/%71ueues',
      '/%71ueues/api/queues',
      '/%71%75%65%75%65%73/api/queues',
      '/queue%73/api/queues',
      '/queues/%61pi/queues',
      '/%2571ueues',
      '/%2571ueues/api/queues',
      '/QUEUES',
      '/QUEUES/api/queues',
      '/Queues/api/queues',
      '//queues',
      '//queues/api/queues',
      '/queues/../queues',
      '/queues/../queues/api/queues',
      '/./queues/api/queues',
      '/queues//api/queues',
      '/queues/api/queues?x=/login',
      '/queues/api/queues;/login',
      `http://127.0.0.1:${port}/queues`,
      `http://127.0.0.1:${port}/queues/api/queues`,
      `http://127.0.0.1:${port}/%71ueues/api/queues`,
      '/%71ueues/api/redis/stats',
      '/%71ueues/static/../api/queues',
    ];
    for (const target of targets) {
      const r = await looker.send('GET', target);
      expect([403, 404], `${target} answered ${r.status}: ${r.body.slice(0, 300)}`).toContain(r.status);
      expect(r.body, target).not.toMatch(/"queues"\s*:/);
    }
    // An absolute-form target naming another host is refused as another Host header is (DNS rebinding).
    expect((await looker.send('GET', 'http://evil.example/queues/api/queues')).status).toBe(421);
    // Writes by the same spellings: refused, and no job lands on any queue.
    const before = await jobs();
    const addBody = JSON.stringify({
      name: 'mail',
      data: { mailId: 'evil', kind: 'rep-held', to: ['attacker@evil.example'], data: {} },
    });
    for (const [method, target, body] of [
      ['POST', '/%71ueues/api/queues/notify/add', addBody],
      ['POST', `http://127.0.0.1:${port}/queues/api/queues/notify/add`, addBody],
      ['PUT', '/%71ueues/api/queues/followup/clean/delayed', undefined],
      ['PUT', '/%71ueues/api/queues/followup/obliterate', '{}'],
    ] as const) {
      const r = await looker.send(method, target, writeHeaders(token, body), body);
      expect([403, 404], `${method} ${target} answered ${r.status}`).toContain(r.status);
    }
    expect((await jobs()).map((j) => j.id).sort()).toEqual(before.map((j) => j.id).sort());
    expect(smtp.to('attacker@evil.example')).toEqual([]);
  });

  it('an operator sees bull-board, but its write API (promote, clean, obliterate, add, pause) is refused; `jobs promote` still works and is audited', async () => {
    const ops = new Client('127.0.0.3');
    const token = await ops.signIn(OPERATOR, OPERATOR_PASSWORD);
    expect((await ops.send('GET', '/queues')).status).toBe(200);
    const api = await ops.send('GET', '/queues/api/queues');
    expect(api.status).toBe(200);
    expect(api.body).toMatch(/"queues"\s*:/);

    const sweep = (await jobs()).find((j) => j.name === 'sweep' && j.state === 'delayed');
    expect(sweep, 'the minutely sweep waits as a delayed job').toBeTruthy();
    const q = sweep!.queue;
    const id = encodeURIComponent(sweep!.id);
    const addBody = JSON.stringify({
      name: 'mail',
      data: { mailId: 'evil.op', kind: 'rep-held', to: ['attacker@evil.example'], data: {} },
    });
    for (const [method, target, body] of [
      ['PUT', `/queues/api/queues/${q}/${id}/promote`, undefined],
      ['POST', `/queues/api/queues/${q}/${id}/promote`, undefined],
      ['PUT', `/queues/api/queues/${q}/promote`, undefined],
      ['PUT', `/queues/api/queues/${q}/${id}/clean`, undefined],
      ['PUT', `/queues/api/queues/${q}/clean/delayed`, undefined],
      ['PUT', `/queues/api/queues/${q}/obliterate`, '{}'],
      ['PUT', `/queues/api/queues/${q}/empty`, undefined],
      ['PUT', '/queues/api/queues/pause', undefined],
      ['PUT', `/queues/api/queues/${q}/pause`, undefined],
      ['PATCH', `/queues/api/queues/${q}/${id}/update-data`, '{"data":{}}'],
      ['PATCH', `/queues/api/queues/${q}/${id}/delay`, '{"delay":1}'],
      ['POST', '/queues/api/queues/notify/add', addBody],
      ['POST', '/%71ueues/api/queues/notify/add', addBody],
    ] as const) {
      const r = await ops.send(method, target, writeHeaders(token, body), body);
      expect([403, 404, 405], `${method} ${target} answered ${r.status}: ${r.body.slice(0, 200)}`).toContain(r.status);
    }
    const after = await jobs();
    expect(after.find((j) => j.id === sweep!.id)?.state).toBe('delayed');
    expect(after.filter((j) => j.queue === 'notify')).toEqual([]);
    expect(smtp.to('attacker@evil.example')).toEqual([]);
    // The board says it is read only, so its page offers no write buttons.
    expect(api.body).toMatch(/"readOnlyMode"\s*:\s*true/);

    const promoted = await runCli(['jobs', 'promote', sweep!.id], env);
    expect(promoted.code, promoted.stderr).toBe(0);
    expect((await audit()).find((a) => a.action === 'job-promoted')).toMatchObject({
      actor: 'cli',
      reason: expect.stringContaining(sweep!.id),
    });
  });
});

describe('failed sign-ins lock out the client that made them, not the account', () => {
  it("a stranger's client fails 20 times; the rep still signs in from another client; the owner is mailed rep-signin-locked once", async () => {
    const stranger = new Client('127.0.0.4');
    const token = await stranger.loginToken();
    const statuses: number[] = [];
    for (let i = 1; i <= 20; i++) statuses.push((await stranger.postLogin(token, REP, `guess number ${i}`)).status);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(new Set(statuses.slice(4))).toEqual(new Set([423]));
    // The lock holds for the stranger's client: the right password from there is refused too.
    expect((await stranger.postLogin(token, REP, REP_PASSWORD)).status).toBe(423);

    // A second stranger client locks itself out as well.
    const other = new Client('127.0.0.5');
    const t2 = await other.loginToken();
    for (let i = 1; i <= 6; i++) await other.postLogin(t2, REP, `other guess ${i}`);
    expect((await other.postLogin(t2, REP, REP_PASSWORD)).status).toBe(423);

    // The rep, from their own client, signs in with the right password: slowed
    // a little, since the account has had ten failures this hour, not refused.
    const rep = new Client('127.0.0.6');
    const started = Date.now();
    await rep.signIn(REP, REP_PASSWORD);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect((await rep.send('GET', '/')).status).toBe(200);

    // The owner hears of it by mail, once however many clients were locked out.
    const mail = await smtp.waitFor((m) => mailKind(m) === 'rep-signin-locked', 20_000, 'the rep-signin-locked mail');
    expect(mail.envelopeTo).toEqual([REP]);
    expect(mail.parsed.text ?? '').toContain('127.0.0.4');
    expect(mail.parsed.text ?? '').not.toContain('guess number');
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.messages().filter((m) => mailKind(m) === 'rep-signin-locked')).toHaveLength(1);

    const trail = await audit();
    const locks = trail.filter((a) => a.action === 'console-sign-in-locked' && (a.reason ?? '').startsWith(REP));
    expect(locks.map((a) => a.reason)).toEqual([
      expect.stringContaining('127.0.0.4'),
      expect.stringContaining('127.0.0.5'),
    ]);
    expect(
      trail.some(
        (a) => a.action === 'console-signed-in' && a.actor === `rep:${REP}` && /127\.0\.0\.6/.test(a.reason ?? ''),
      ),
    ).toBe(true);
  });

  it("past the account's ceiling every attempt on it is slowed (up to 5 s), never refused: the owner still signs in", async () => {
    // Two more clients guess at once; each locks itself out after five.
    const guessers = ['127.0.0.8', '127.0.0.9'].map((a) => new Client(a));
    await Promise.all(
      guessers.map(async (g) => {
        const t = await g.loginToken();
        for (let i = 1; i <= 5; i++) expect([401, 423]).toContain((await g.postLogin(t, REP, `more ${i}`)).status);
      }),
    );
    const rep = new Client('127.0.0.10');
    const token = await rep.loginToken();
    const started = Date.now();
    const r = await rep.postLogin(token, REP, REP_PASSWORD);
    const took = Date.now() - started;
    expect(r.status).toBe(303);
    expect(took).toBeGreaterThanOrEqual(4500);
    expect(took).toBeLessThan(15_000);
    // Still one mail: the owner heard of the attack once in this window.
    expect(smtp.messages().filter((m) => mailKind(m) === 'rep-signin-locked')).toHaveLength(1);
  }, 90_000);
});

describe('X-Forwarded-For is believed only from a configured proxy', () => {
  it('a client that is not a trusted proxy is rate limited and audited under its own address, whatever X-Forwarded-For it sends', async () => {
    const forger = new Client('127.0.0.7');
    const token = await forger.loginToken();
    let limited = 0;
    for (let i = 1; i <= 40 && limited === 0; i++) {
      // Each attempt claims to come from somewhere else.
      const r = await forger.postLogin(token, 'nobody@desk.test', `x${i}`, { 'x-forwarded-for': `203.0.113.${i}` });
      if (r.status === 429) limited = i;
      else expect([401, 423]).toContain(r.status);
    }
    expect(limited, 'rate limited within 30 a minute').toBeGreaterThan(0);
    expect(limited).toBeLessThanOrEqual(31);
    const failed = (await audit()).filter(
      (a) => a.action === 'console-sign-in-failed' && (a.reason ?? '').startsWith('nobody@desk.test'),
    );
    expect(failed.length).toBeGreaterThan(0);
    for (const a of failed) expect(a.reason).toContain('from 127.0.0.7');
    expect(failed.filter((a) => /203\.0\.113\./.test(a.reason ?? ''))).toEqual([]);
  });

  it('from the trusted proxy (loopback 127.0.0.1 by default) the forwarded client address is believed', async () => {
    const proxied = new Client('127.0.0.1', { 'x-forwarded-for': '198.51.100.77' });
    const token = await proxied.loginToken();
    expect((await proxied.postLogin(token, 'proxied@desk.test', 'wrong')).status).toBe(401);
    const failed = (await audit()).filter(
      (a) => a.action === 'console-sign-in-failed' && (a.reason ?? '').startsWith('proxied@desk.test'),
    );
    expect(failed.map((a) => a.reason)).toEqual([expect.stringContaining('from 198.51.100.77')]);
  });
});
