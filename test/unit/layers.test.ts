/**
 * The folders are layers: a folder imports only folders below it, so the
 * rules never depend on Redis, the store never on a worker, and a worker
 * never on the console or the CLI. The order is the README's repository map.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Lowest first. A folder may import its own files and any folder before it. */
export const LAYERS = ['lib', 'config', 'mail', 'forms', 'domain', 'store', 'registry', 'workflows', 'workers', 'console', 'embedded', 'demo', 'cli', 'bench'] as const;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('layers', () => {
  it('no folder imports a folder above it', () => {
    const upward: string[] = [];
    for (const layer of LAYERS) {
      for (const file of tsFiles(join(ROOT, layer))) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/(?:from|import\()\s*['"](\.[^'"]+)['"]/g)) {
          const target = relative(ROOT, join(dirname(file), m[1]!)).split('/')[0]!;
          const rank = (LAYERS as readonly string[]).indexOf(target);
          if (rank > LAYERS.indexOf(layer)) upward.push(`${relative(ROOT, file)} imports ${m[1]} (${layer} -> ${target})`);
        }
      }
    }
    expect(upward).toEqual([]);
  });
});
