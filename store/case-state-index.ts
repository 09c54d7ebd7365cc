/**
 * The per-state case indexes (`keys.casesByState`) are kept by the commit
 * script. Cases written before it kept them are indexed here once: when the
 * indexes together hold fewer cases than the `cases` set, every case is
 * offered to backfillStateIndex-9.lua in batches, which adds only what is
 * missing and only to the state the case is still in. Running it again, or
 * on two processes at once, changes nothing more.
 */
import type { Redis } from 'ioredis';
import { CASE_STATES } from '../domain/case-states.js';
import type { DeskKeys } from './keys.js';
import { runLua } from './lua-scripts.js';

/** Cases read and offered to the script per round trip. */
const BATCH = 200;

/** Returns how many cases were added to an index. */
export async function ensureStateIndex(redis: Redis, keys: DeskKeys): Promise<number> {
  const stateKeys = CASE_STATES.map((s) => keys.casesByState(s));
  const count = redis.pipeline().zcard(keys.cases());
  for (const k of stateKeys) count.zcard(k);
  const counts = ((await count.exec()) ?? []).map(([, v]) => Number(v ?? 0));
  const [all = 0, ...perState] = counts;
  if (perState.reduce((a, b) => a + b, 0) >= all) return 0;

  let added = 0;
  for (let offset = 0; ; offset += BATCH) {
    const numbers = await redis.zrange(keys.cases(), String(offset), String(offset + BATCH - 1));
    if (numbers.length === 0) break;
    const read = redis.pipeline();
    for (const n of numbers) read.hmget(keys.case(n), 'state', 'doc');
    const rows = (await read.exec()) ?? [];
    const caseKeys: string[] = [];
    const cases: Array<{ number: string; key: number; state: string; score: string }> = [];
    rows.forEach(([, v], i) => {
      const [state, doc] = (v ?? []) as Array<string | null>;
      if (!state || !doc) return;
      const updatedAt = Date.parse((JSON.parse(doc) as { updatedAt?: string }).updatedAt ?? '');
      caseKeys.push(keys.case(numbers[i]!));
      cases.push({
        number: numbers[i]!,
        key: stateKeys.length + caseKeys.length,
        state,
        score: String(Number.isNaN(updatedAt) ? 0 : updatedAt),
      });
    });
    if (cases.length > 0) {
      added += Number(
        await runLua(
          redis,
          'backfillStateIndex',
          [...stateKeys, ...caseKeys],
          [JSON.stringify({ states: CASE_STATES, cases })],
        ),
      );
    }
    if (numbers.length < BATCH) break;
  }
  return added;
}
