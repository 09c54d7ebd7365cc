/**
 * What a rep and an operator see of the per-state case indexes, through the
 * public edges: `case list [--state S] --json`, the console's case list, its
 * JSON API status and the `/metrics` case gauges. Some cases are stored in the
 * layout from before the indexes (the case hash and the `cases` set only) and
 * are found all the same (the one-time backfill).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startConsole } from '../../console/console-server.js';
import { loadConfig } from '../../config/config.js';
import { openDesk, type DeskContext } from '../../workers/desk/context.js';
import { newCaseDoc, type CaseDoc } from '../../domain/case-doc.js';
import type { CaseState } from '../../domain/case-states.js';
import { cliJson } from '../support/desk-process.js';
import { runCliWithInput, signInOverHttp } from '../support/console-fixture.js';
import { startRedis, type RunningRedis } from '../../embedded/redis-server.js';
import { deskEnv, SECRET_ONLY } from '../support/desk-env.js';

let server: RunningRedis;
let ctx: DeskContext;
let env: Record<string, string>;
let base: string;
let close: () => Promise<void>;
/** A signed-in rep's Cookie header (the console shows nothing without one). */
let cookie: string;
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function doc(number: string, minute: number, state: CaseState, updatedMinute = minute): CaseDoc {
  const d = newCaseDoc({
    number,
    program: 'altigen',
    partnerId: 'P-100',
    systemKey: 'SYS-0001',
    at: new Date(at(minute)),
  });
  return { ...d, state, updatedAt: at(updatedMinute) };
}

beforeAll(async () => {
  server = await startRedis();
  env = deskEnv(
    { redisUrl: server.url },
    {
      ...SECRET_ONLY,
      LICENSEDESK_PREFIX: `lists-${randomUUID()}`,
      LICENSEDESK_METRICS_TOKEN: METRICS_TOKEN,
    },
  );
  ctx = await openDesk(loadConfig(env));
  // Before the indexes: two cases written the old way.
  for (const d of [doc('400001', 0, 'held', 30), doc('400002', 1, 'closed', 31)]) {
    await ctx.redis.hset(ctx.keys.case(d.number), 'doc', JSON.stringify(d), 'state', d.state, 'version', '3');
    await ctx.redis.zadd(ctx.keys.cases(), String(Date.parse(d.receivedAt)), d.number);
  }
  // Since: three through the commit (received, then one of them held, one approved).
  for (const [n, minute] of [
    ['400003', 2],
    ['400004', 3],
    ['400005', 4],
  ] as const) {
    await ctx.cases.commit({ doc: doc(n, minute, 'received'), expectedVersion: 0, audit: [] });
  }
  await ctx.cases.commit({ doc: doc('400004', 3, 'held', 40), expectedVersion: 1, audit: [] });
  await ctx.cases.commit({ doc: doc('400005', 4, 'approved', 41), expectedVersion: 1, audit: [] });
  const web = await startConsole(ctx, 0);
  base = web.url;
  close = async () => {
    await web.app.close();
    await ctx.close();
  };
  const made = await runCliWithInput(
    ['user', 'add', 'lists.rep@desk.test', '--role', 'rep'],
    env,
    'lists rep passphrase 1\n',
  );
  expect(made.code, made.stderr).toBe(0);
  cookie = await signInOverHttp(base, 'lists.rep@desk.test', 'lists rep passphrase 1');
}, 60_000);

afterAll(async () => {
  await close?.();
  await server?.stop();
});

it('case list shows every case oldest first, and --state only that state, old cases included', async () => {
  const all = await cliJson<Array<{ number: string; state: string }>>(['case', 'list', '--json'], env);
  expect(all.map((c) => [c.number, c.state])).toEqual([
    ['400001', 'held'],
    ['400002', 'closed'],
    ['400003', 'received'],
    ['400004', 'held'],
    ['400005', 'approved'],
  ]);
  const held = await cliJson<Array<{ number: string }>>(['case', 'list', '--state', 'held', '--json'], env);
  expect(held.map((c) => c.number)).toEqual(['400001', '400004']);
  expect(await cliJson<unknown[]>(['case', 'list', '--state', 'billed', '--json'], env)).toEqual([]);
  // The CLI's read indexed the old cases: the held set holds both, scored by their last update.
  expect(await ctx.redis.zrange(ctx.keys.casesByState('held'), '0', '-1', 'WITHSCORES')).toEqual([
    '400001',
    String(Date.parse(at(30))),
    '400004',
    String(Date.parse(at(40))),
  ]);
});

it('the console lists every case, held first (then newest first), filters by state, and /metrics counts them per state', async () => {
  const get = async (path: string) => (await fetch(`${base}${path}`, { headers: { cookie } })).text();
  const page = await get('/');
  expect([...page.matchAll(/data-case="(\d+)"/g)].map((m) => m[1])).toEqual([
    '400004',
    '400001',
    '400005',
    '400003',
    '400002',
  ]);
  expect(page).toMatch(/2 held for a rep/);
  const held = await get('/?state=held');
  expect([...held.matchAll(/data-case="(\d+)"/g)].map((m) => m[1])).toEqual(['400004', '400001']);
  const metrics = await (
    await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  ).text();
  const gauge = (s: string) => Number(new RegExp(`licensedesk_cases\\{state="${s}"\\} (\\d+)`).exec(metrics)?.[1]);
  expect([gauge('held'), gauge('closed'), gauge('received'), gauge('approved'), gauge('transferred')]).toEqual([
    2, 1, 1, 1, 0,
  ]);
});

it("the console API answers a missing case with the catalogue's status and code", async () => {
  const res = await fetch(`${base}/api/cases/499999`, { headers: { cookie } });
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({ code: 'E_CASE_NOT_FOUND' });
  // A signed-in rep's form posts (the page's CSRF token, this console's Origin).
  const token = /name="_csrf" value="([^"]+)"/.exec(
    await (await fetch(`${base}/cases/400001`, { headers: { cookie } })).text(),
  )?.[1];
  expect(token).toBeTruthy();
  const post = (n: string) =>
    fetch(`${base}/cases/${n}/approve`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: base, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token!, reason: 'checked' }).toString(),
    });
  const approve = await post('499999');
  expect(approve.status).toBe(404);
  expect(await approve.text()).toContain('E_CASE_NOT_FOUND: no case 499999 at this desk');
  const notHeld = await post('400005');
  expect(notHeld.status).toBe(409);
  expect(await notHeld.text()).toContain('E_CASE_STATE: case 400005 is approved');
});
