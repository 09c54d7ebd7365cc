/**
 * The desk's Lua scripts, one `.lua` file each under `store/lua/`, named
 * `<name>-<keys>.lua` as BullMQ names its commands: `<keys>` is the number of
 * fixed KEYS the script expects. Scripts with a variable tail of KEYS (the
 * per-system license sets) are still called with their full key count, so the
 * loader defines every command without a fixed count and checks the fixed
 * part at each call.
 *
 * The folder is read once per process, from the package root, the way the
 * templates are found, so dist/ needs no copy of it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChainableCommander, Redis } from 'ioredis';
import { packageRoot } from '../lib/paths.js';

export interface LuaScript {
  /** `commitCase` for `commitCase-28.lua`. */
  name: string;
  /** KEYS the script always takes (more may follow). */
  fixedKeys: number;
  lua: string;
}

/** Every script the folder holds; the names below must each have a file. */
export const LUA_SCRIPT_NAMES = [
  'commitCase',
  'appendAudit',
  'clearLicenseSets',
  'backfillStateIndex',
  'putMessage',
  'renewLease',
  'releaseLease',
  'partnerLicenses',
  'holdReplySlot',
  'swapSealed',
  'sealedParts',
  'deleteMessage',
  'scheduleDeletion',
  'discardQuarantined',
  'quarantineDigestAdd',
  'quarantineDigestTake',
] as const;
export type LuaScriptName = (typeof LUA_SCRIPT_NAMES)[number];

const FILE_NAME = /^([A-Za-z][A-Za-z0-9]*)-(\d+)\.lua$/;

export function luaFolder(): string {
  return join(packageRoot(), 'store', 'lua');
}

let cache: ReadonlyMap<string, LuaScript> | undefined;

/** Reads `store/lua/` (once per process). */
export function luaScripts(): ReadonlyMap<string, LuaScript> {
  if (cache) return cache;
  const dir = luaFolder();
  const out = new Map<string, LuaScript>();
  for (const file of readdirSync(dir).sort()) {
    const m = FILE_NAME.exec(file);
    if (!m) continue;
    const name = m[1]!;
    if (out.has(name)) throw new Error(`two Lua scripts named ${name} in ${dir}`);
    out.set(name, { name, fixedKeys: Number(m[2]), lua: readFileSync(join(dir, file), 'utf8') });
  }
  for (const n of LUA_SCRIPT_NAMES)
    if (!out.has(n)) throw new Error(`Lua script ${n}-<keys>.lua is missing from ${dir}`);
  cache = out;
  return out;
}

/** The ioredis command a script is defined as: `commitCase` -> `ldCommitCase`. */
const commandName = (name: string): string => `ld${name[0]!.toUpperCase()}${name.slice(1)}`;

type ScriptArg = string | number | Buffer;
type ScriptCall = (numKeys: number, ...args: ScriptArg[]) => Promise<unknown>;

/**
 * Defines every script as a command on this client (a Cluster client too:
 * ioredis sends EVALSHA to the keys' node and EVAL on its first use there).
 * Idempotent per client.
 */
export function defineLuaCommands(redis: Redis): void {
  const r = redis as unknown as Record<string, unknown>;
  for (const s of luaScripts().values()) {
    if (typeof r[commandName(s.name)] !== 'function') redis.defineCommand(commandName(s.name), { lua: s.lua });
  }
}

function checkedArgs(name: LuaScriptName, keys: readonly string[], args: ReadonlyArray<string | Buffer>): ScriptArg[] {
  const script = luaScripts().get(name)!;
  if (keys.length < script.fixedKeys) {
    throw new Error(`Lua script ${name} takes at least ${script.fixedKeys} keys, was given ${keys.length}`);
  }
  return [keys.length, ...keys, ...args];
}

/** Runs a script now. */
export async function runLua(
  redis: Redis,
  name: LuaScriptName,
  keys: readonly string[],
  args: ReadonlyArray<string | Buffer>,
): Promise<unknown> {
  return callLua(redis, name, keys, args, '');
}

/** runLua with a reply of Buffers (binary bulk strings), through the command's `…Buffer` variant. */
export async function runLuaBuffer(
  redis: Redis,
  name: LuaScriptName,
  keys: readonly string[],
  args: ReadonlyArray<string | Buffer>,
): Promise<unknown> {
  return callLua(redis, name, keys, args, 'Buffer');
}

async function callLua(
  redis: Redis,
  name: LuaScriptName,
  keys: readonly string[],
  args: ReadonlyArray<string | Buffer>,
  variant: '' | 'Buffer',
): Promise<unknown> {
  defineLuaCommands(redis);
  const [n, ...rest] = checkedArgs(name, keys, args);
  const call = (redis as unknown as Record<string, ScriptCall>)[`${commandName(name)}${variant}`]!;
  return call.call(redis, n as number, ...rest);
}

/** Queues a script in a MULTI or pipeline of a client `defineLuaCommands` has seen. */
export function queueLua(
  m: ChainableCommander,
  name: LuaScriptName,
  keys: readonly string[],
  args: ReadonlyArray<string | Buffer>,
): void {
  const [n, ...rest] = checkedArgs(name, keys, args);
  const call = (m as unknown as Record<string, ScriptCall>)[commandName(name)];
  if (typeof call !== 'function')
    throw new Error(`Lua script ${name} is not defined on this client (call defineLuaCommands first)`);
  void call.call(m, n as number, ...rest);
}
