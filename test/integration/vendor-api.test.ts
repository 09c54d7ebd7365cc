/**
 * The desk among the vendor's systems, from outside: a CRM opens a case over
 * plain HTTP with an API token, the partner mails its forms, the case moves,
 * and the event log tells it all in order; an old registry file imported
 * afterwards is refused and the export still shows every moved license.
 * Real redis-server, Dovecot, SMTP sink and `licensedesk start`.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type RunningDovecot } from '../../embedded/dovecot.js';
import { freePort } from '../../embedded/net.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { startSmtpSink, type SmtpSink } from '../../embedded/smtp-sink.js';
import { altigenRegistry, cardForm, partnerMail, transferForm } from '../support/altigen-fixture.js';
import { deskEnv } from '../support/desk-env.js';
import {
  cliJson,
  cliJsonLines,
  waitForConsole,
  runCli,
  startDesk,
  waitForCaseState,
  type DeskProcess,
} from '../support/desk-process.js';

interface ApiEvent {
  id: string;
  type: string;
  at: string;
  case?: string;
  data: Record<string, unknown>;
}

let redis: RunningRedis;
let dovecot: RunningDovecot;
let smtp: SmtpSink;
let desk: DeskProcess;
let env: Record<string, string>;
let base: string;
let token: string;
let readOnly: string;
const USER = 'desk-vendor';
const registryFile = join(tmpdir(), `ld-vendor-registry-${process.pid}.json`);

/** The registry the vendor starts from: no case at all, only what cases are opened on. */
function startingRegistry() {
  return { ...altigenRegistry(), cases: [] };
}

async function api(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  [redis, dovecot, smtp] = await Promise.all([startRedis(), startDovecot(), startSmtpSink()]);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = deskEnv(
    { redisUrl: redis.url, imapUrl: dovecot.imapUrl(USER), smtpUrl: smtp.url },
    {
      LICENSEDESK_PREFIX: 'vendor',
      LICENSEDESK_HTTP_PORT: String(port),
      LICENSEDESK_API_RATE_PER_MINUTE: '60',
    },
  );
  writeFileSync(registryFile, JSON.stringify(startingRegistry()));
  const imp = await runCli(['registry', 'import', registryFile], env);
  expect(imp.code, imp.stderr).toBe(0);
  token = (
    await cliJson<{ token: string }>(
      ['token', 'add', 'crm', '--scope', 'cases:read,cases:write,events:read,registry:read,registry:write', '--json'],
      env,
    )
  ).token;
  readOnly = (await cliJson<{ token: string }>(['token', 'add', 'feed', '--scope', 'events:read', '--json'], env))
    .token;
  desk = startDesk(env);
  await waitForConsole(base);
});

afterAll(async () => {
  rmSync(registryFile, { force: true });
  const code = await desk?.stop();
  expect(code).toBe(0);
  await Promise.all([smtp?.stop(), dovecot?.stop(), redis?.stop()]);
});

describe("the API for the vendor's systems", () => {
  it('answers 401 without a token or with an unknown one, 403 without the scope, and lists tokens without their text', async () => {
    expect((await api('GET', '/api/v1/events')).status).toBe(401);
    const unknown = await api('GET', '/api/v1/events', { token: 'ldt_not-a-token' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('E_TOKEN_MISSING');
    const scoped = await api('POST', '/api/v1/cases', { token: readOnly, body: { systemKey: 'SYS-0002' } });
    expect(scoped.status).toBe(403);
    expect(scoped.body.code).toBe('E_TOKEN_SCOPE');
    const listed = await cliJson<Array<Record<string, unknown>>>(['token', 'list', '--json'], env);
    expect(listed.map((t) => t.name)).toEqual(['crm', 'feed']);
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(JSON.stringify(listed)).not.toContain(readOnly);
  });

  it('DSK-12 opens a case by API on the target system, numbered by the desk, state new, in the audit trail', async () => {
    const r = await api('POST', '/api/v1/cases', { token, body: { systemKey: 'SYS-0002' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ state: 'new', program: 'altigen', partnerId: 'P-100', systemKey: 'SYS-0002' });
    expect(String(r.body.number)).toMatch(/^\d{6,10}$/);
    const shown = await cliJson<{ state: string }>(['case', 'show', String(r.body.number), '--json'], env);
    expect(shown.state).toBe('new');
    const trail = await cliJsonLines<{ action: string; actor: string }>(
      ['audit', String(r.body.number), '--json'],
      env,
    );
    expect(trail).toEqual([expect.objectContaining({ action: 'case-opened', actor: 'api:crm' })]);
    const again = await api('GET', `/api/v1/cases/${String(r.body.number)}`, { token });
    expect(again.body.state).toBe('new');
  });

  it('DSK-12 refuses an unknown system, another partner, a taken number, and a body the schema refuses, naming the code', async () => {
    const unknown = await api('POST', '/api/v1/cases', { token, body: { systemKey: 'SYS-NOPE' } });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'E_SYSTEM_UNKNOWN']);
    const other = await api('POST', '/api/v1/cases', { token, body: { systemKey: 'SYS-0002', partnerId: 'P-200' } });
    expect([other.status, other.body.code]).toEqual([422, 'E_CASE_PARTNER']);
    const first = await api('POST', '/api/v1/cases', { token, body: { systemKey: 'SYS-0002', number: '7700001' } });
    expect(first.status).toBe(201);
    const taken = await api('POST', '/api/v1/cases', { token, body: { systemKey: 'SYS-0002', number: '7700001' } });
    expect([taken.status, taken.body.code]).toEqual([409, 'E_CASE_EXISTS']);
    const bad = await api('POST', '/api/v1/cases', { token, body: { systemKey: 'SYS-0002', colour: 'red' } });
    expect(bad.status).toBe(400);
    const cli = await runCli(['case', 'open', '--system', 'SYS-NOPE', '--json'], env);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('E_SYSTEM_UNKNOWN');
  });

  it('DSK-12 a case opened by the CLI and completed by mail moves, and the event log tells every step in order', async () => {
    const opened = await cliJson<{ number: string; state: string }>(
      ['case', 'open', '--system', 'SYS-0002', '--partner', 'P-100', '--by', 'crm@vendor.test', '--json'],
      env,
    );
    expect(opened.state).toBe('new');
    const n = opened.number;
    const lt = await transferForm({
      caseNumber: n,
      from: 'SYS-0001',
      to: 'SYS-0002',
      chassis: 'Max2000',
      keys: ['LK-0001'],
    });
    await dovecot.append(
      USER,
      await partnerMail(`Re: Case ${n} license transfer`, [
        { name: 'transfer.pdf', bytes: lt },
        { name: 'card.pdf', bytes: await cardForm(n) },
      ]),
    );
    const done = await waitForCaseState<{ state: string; findings: unknown[] }>(env, n, [
      'transferred',
      'waiting-partner',
      'held',
      'rejected',
    ]);
    expect(done.state, JSON.stringify(done.findings)).toBe('transferred');

    // Paged two at a time, oldest first, nothing skipped: the same ids as `licensedesk events`.
    const paged: ApiEvent[] = [];
    let after: string | undefined;
    for (let i = 0; i < 200; i++) {
      const r = await api('GET', `/api/v1/events?limit=2${after ? `&after=${after}` : ''}`, { token: readOnly });
      expect(r.status).toBe(200);
      const events = r.body.events as ApiEvent[];
      paged.push(...events);
      if (events.length < 2) break;
      after = String(r.body.next);
    }
    const cli = await cliJsonLines<ApiEvent>(['events', '--json'], env);
    expect(paged.map((e) => e.id)).toEqual(cli.map((e) => e.id));
    const ids = paged.map((e) => e.id);
    expect([...ids].sort((a, b) => (BigInt(a.replace('-', '')) < BigInt(b.replace('-', '')) ? -1 : 1))).toEqual(ids);

    const mine = paged.filter((e) => e.case === n);
    expect(mine[0]).toMatchObject({ type: 'case.opened', data: { systemKey: 'SYS-0002', partnerId: 'P-100' } });
    const types = mine.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['case.state-changed', 'licenses.moved', 'fee.assessed']));
    const states = mine.filter((e) => e.type === 'case.state-changed').map((e) => e.data.to);
    expect(states).toEqual(expect.arrayContaining(['received', 'approved', 'transferred']));
    expect(mine.find((e) => e.type === 'licenses.moved')?.data.moves).toEqual([
      { licenseKey: 'LK-0001', from: 'SYS-0001', to: 'SYS-0002' },
    ]);
    expect(mine.filter((e) => e.type === 'fee.assessed').map((e) => [e.data.rule, e.data.amount])).toEqual(
      expect.arrayContaining([['ALT-4', '300.00']]),
    );
    // Each state change of the audit trail has its event (opening it is `case.opened`, state `new`).
    const trail = await cliJsonLines<{ action: string; from?: string; to?: string }>(['audit', n, '--json'], env);
    expect(trail.filter((a) => a.to && a.to !== 'new' && a.from !== a.to).map((a) => [a.from ?? null, a.to])).toEqual(
      mine.filter((e) => e.type === 'case.state-changed').map((e) => [e.data.from, e.data.to]),
    );
    // Every registry import is an event too.
    expect(paged[0]).toMatchObject({ type: 'registry.changed', data: { change: 'import' } });
  });

  it('DSK-12 an old registry file is refused, naming each moved license; the export keeps every move', async () => {
    const stale = await runCli(['registry', 'import', registryFile], env);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('E_REGISTRY_STALE');
    expect(stale.stderr).toMatch(/licenses LK-0001 systemKey: file "SYS-0001", desk "SYS-0002"/);
    // The cases the desk opened are not in the old file either.
    expect(stale.stderr).toMatch(/cases 7700001: file absent/);
    const exported = JSON.parse((await runCli(['registry', 'export'], env)).stdout) as {
      licenses: Array<{ key: string; systemKey: string }>;
      cases: Array<{ number: string }>;
    };
    expect(exported.licenses.find((l) => l.key === 'LK-0001')?.systemKey).toBe('SYS-0002');
    expect(exported.cases.map((c) => c.number)).toContain('7700001');

    // An export imported again agrees with the desk, and is taken.
    const file = join(tmpdir(), `ld-vendor-export-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(exported));
    const again = await runCli(['registry', 'import', file], env);
    rmSync(file, { force: true });
    expect(again.code, again.stderr).toBe(0);
  });

  it('DSK-12 PUT upserts one entity, checked as an import is, and is an event', async () => {
    const item = { sku: 'ALTI-NEW-1', kind: 'station', count: 1, lifecycle: 'orderable', listPrice: { USD: 10 } };
    const put = await api('PUT', '/api/v1/registry/catalog/ALTI-NEW-1', { token, body: item });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.change).toBe('created');
    expect((await api('GET', '/api/v1/registry/catalog/ALTI-NEW-1', { token })).body).toEqual(item);
    const bad = await api('PUT', '/api/v1/registry/systems/SYS-0009', {
      token,
      body: { key: 'SYS-0009', endUserId: 'EU-NOPE', program: 'altigen', registered: true },
    });
    expect([bad.status, bad.body.code]).toEqual([422, 'E_REGISTRY_INVALID']);
    // A system an open case is on cannot change under it (case 7700001 waits for its forms on SYS-0002).
    const exported = JSON.parse((await runCli(['registry', 'export'], env)).stdout) as {
      systems: Array<Record<string, unknown>>;
    };
    const sys = exported.systems.find((s) => s.key === 'SYS-0002')!;
    const conflict = await api('PUT', '/api/v1/registry/systems/SYS-0002', {
      token,
      body: { ...sys, model: 'Max1000' },
    });
    expect([conflict.status, conflict.body.code]).toEqual([409, 'E_REGISTRY_CONFLICT']);
    expect(String(conflict.body.message)).toContain('7700001');
    const events = await cliJsonLines<ApiEvent>(['events', '--json'], env);
    expect(events.at(-1)).toMatchObject({
      type: 'registry.changed',
      data: { change: 'update', entities: [{ kind: 'catalog', id: 'ALTI-NEW-1', change: 'created' }] },
    });
  });

  it('limits each token to LICENSEDESK_API_RATE_PER_MINUTE requests a minute (429), without slowing the others', async () => {
    const flood = (await cliJson<{ token: string }>(['token', 'add', 'flood', '--scope', 'events:read', '--json'], env))
      .token;
    const codes: number[] = [];
    for (let i = 0; i < 70; i++) codes.push((await api('GET', '/api/v1/events?limit=1', { token: flood })).status);
    expect(codes.filter((c) => c === 200).length).toBeLessThanOrEqual(60);
    expect(codes.at(-1)).toBe(429);
    const limited = await api('GET', '/api/v1/events?limit=1', { token: flood });
    expect(limited.body.code).toBe('E_RATE_LIMITED');
    expect((await api('GET', '/api/v1/events?limit=1', { token })).status).toBe(200);
  });

  it('serves a valid OpenAPI 3.1 document with every route of the API', async () => {
    const res = await fetch(`${base}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.valid, JSON.stringify(result.errors)).toBe(true);
    const routes = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(routes.sort()).toEqual(
      [
        'GET /api/v1/cases',
        'GET /api/v1/cases/{number}',
        'POST /api/v1/cases',
        'GET /api/v1/events',
        'GET /api/v1/fees',
        'GET /api/v1/registry/{kind}/{id}',
        'PUT /api/v1/registry/{kind}/{id}',
      ].sort(),
    );
  });
});
