/**
 * an outage logs a few JSON lines (the first error, a summary while
 * it lasts, "back" once Redis answers), not a line per error; errors of
 * connections that lag behind the recovery are summed up once.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { isRedisOutageError, OutageLog } from '../../lib/outage-log.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('200 errors from a dozen sources during one outage give one "down" line, periodic summaries and one "up" line', async () => {
  const { log, lines } = capture();
  let reachable = false;
  const outage = new OutageLog(
    log,
    async () => {
      if (!reachable) throw new Error('Connection is closed.');
    },
    { summaryEveryMs: 300, probeEveryMs: 50, settleMs: 1_500 },
  );
  for (let i = 0; i < 200; i++) outage.report(`source ${i % 12}`, new Error('connect ECONNREFUSED 127.0.0.1:6379'));
  expect(outage.isDown).toBe(true);
  await sleep(700);
  reachable = true;
  await sleep(400);
  expect(outage.isDown).toBe(false);
  // Late errors from connections still reconnecting: counted, then one line.
  for (let i = 0; i < 5; i++) outage.report('worker review', new Error('Connection is closed.'));
  await sleep(1_800);
  outage.close();

  const redisLines = lines.filter((l) => 'redis' in l);
  expect(redisLines[0]).toMatchObject({
    redis: 'down',
    source: 'source 0',
    err: 'connect ECONNREFUSED 127.0.0.1:6379',
  });
  const summaries = redisLines.filter((l) => l.msg === 'Redis still unreachable');
  expect(summaries.length).toBeGreaterThanOrEqual(1);
  expect(summaries.length).toBeLessThanOrEqual(3);
  expect(summaries[0]).toMatchObject({ errors: 200 });
  expect((summaries[0]!.sources as string[]).length).toBe(12);
  const up = redisLines.find((l) => l.msg === 'Redis reachable again');
  expect(up).toMatchObject({ redis: 'up', errors: 200 });
  expect(up!.downForMs as number).toBeGreaterThanOrEqual(600);
  expect(redisLines.at(-1)).toMatchObject({ redis: 'up', errors: 5, sources: ['worker review'] });
  expect(redisLines.length).toBe(1 + summaries.length + 2);
  expect(outage.outages).toBe(1);
});

it('only Redis-worded errors count as an outage for a job; socket errors only where Redis alone can cause them', () => {
  expect(isRedisOutageError(new Error('Command timed out'))).toBe(true);
  expect(isRedisOutageError(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(true);
  expect(isRedisOutageError(new Error("READONLY You can't write against a read only replica."))).toBe(true);
  // An SMTP server that is down is the job's own failure, not Redis's.
  expect(isRedisOutageError(new Error('connect ECONNREFUSED 127.0.0.1:2525'))).toBe(false);
  expect(isRedisOutageError(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { socketErrors: true })).toBe(true);
  expect(isRedisOutageError(new Error('E_CASE_CONFLICT: the case kept changing'))).toBe(false);
});
