/**
 * The Lua scripts are files under store/lua/, named `<name>-<keys>.lua`, and
 * the loader finds them from the sources and from the built dist/ alike.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../lib/paths.js';
import { LUA_SCRIPT_NAMES, luaFolder, luaScripts } from '../../store/lua-scripts.js';

describe('the Lua script folder', () => {
  it('holds one <name>-<keys>.lua file per script the desk runs, and nothing else', () => {
    const files = readdirSync(luaFolder()).sort();
    expect(files).toEqual([
      'appendAudit-2.lua',
      'backfillStateIndex-9.lua',
      'clearLicenseSets-2.lua',
      'commitCase-28.lua',
      'deleteMessage-8.lua',
      'discardQuarantined-2.lua',
      'holdReplySlot-1.lua',
      'partnerLicenses-1.lua',
      'putMessage-5.lua',
      'quarantineDigestAdd-2.lua',
      'quarantineDigestTake-3.lua',
      'releaseLease-1.lua',
      'renewLease-1.lua',
      'scheduleDeletion-2.lua',
      'sealedParts-1.lua',
      'swapSealed-1.lua',
    ]);
    expect([...luaScripts().keys()].sort()).toEqual([...LUA_SCRIPT_NAMES].sort());
  });

  it('names in each file the fixed KEYS it uses: no literal KEYS[n] beyond the count in its name', () => {
    for (const s of luaScripts().values()) {
      const literal = [...s.lua.matchAll(/KEYS\[(\d+)\]/g)].map((m) => Number(m[1]));
      expect(Math.max(0, ...literal), s.name).toBeLessThanOrEqual(s.fixedKeys);
    }
  });

  it('is the only place Lua lives: no desk source outside store/lua/ carries a script inline', () => {
    const root = packageRoot();
    const skip = new Set(['node_modules', 'dist', 'test', '.git', 'docs']);
    const inline: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) {
          if (!skip.has(e.name) && !e.name.startsWith('.')) walk(join(dir, e.name));
          continue;
        }
        if (!e.name.endsWith('.ts')) continue;
        const text = readFileSync(join(dir, e.name), 'utf8');
        if (/KEYS\[\d+\]|ARGV\[\d+\]|\.eval\(|defineCommand\(/.test(text) && e.name !== 'lua-scripts.ts')
          inline.push(join(dir, e.name).slice(root.length + 1));
      }
    };
    walk(root);
    expect(inline).toEqual([]);
  });

  it('is found by the built loader in dist/ too (npm run build first)', async () => {
    const built = join(packageRoot(), 'dist', 'store', 'lua-scripts.js');
    const mod = (await import(pathToFileURL(built).href)) as typeof import('../../store/lua-scripts.js');
    expect(mod.luaFolder()).toBe(luaFolder());
    expect([...mod.luaScripts().keys()].sort()).toEqual([...LUA_SCRIPT_NAMES].sort());
  });
});
