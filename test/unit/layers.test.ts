/**
 * The folders are layers: a folder imports only folders below it, so the
 * rules never depend on Redis, the store never on a worker, and a worker
 * never on the console or the CLI. The order is the repository map's
 * (README.md). Inside `workers/` each folder is a stage (its queue and role
 * share its name) standing on `desk/`, the wiring: a stage reaches another
 * only through that stage's `index.ts`, never its internals. And no module
 * imports itself back through others: an import cycle is a start-up order bug
 * waiting to happen.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Lowest first. A folder may import its own files and any folder before it. */
export const LAYERS = [
  'lib',
  'config',
  'mail',
  'forms',
  'domain',
  'store',
  'registry',
  'workflows',
  'workers',
  'console',
  'embedded',
  'demo',
  'cli',
  'bench',
] as const;

/** The stages of `workers/`; `desk` (the wiring) and `actions` (what reps and operators do) are the others. */
export const STAGES = ['ingest', 'intake', 'review', 'transfer', 'followup', 'notify', 'retention'] as const;

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
          if (rank > LAYERS.indexOf(layer))
            upward.push(`${relative(ROOT, file)} imports ${m[1]} (${layer} -> ${target})`);
        }
      }
    }
    expect(upward).toEqual([]);
  });

  it('the stages of workers/ are its folders, and the role and queue of each running stage share its name', async () => {
    const folders = readdirSync(join(ROOT, 'workers'))
      .filter((n) => statSync(join(ROOT, 'workers', n)).isDirectory())
      .sort();
    expect(folders).toEqual([...STAGES, 'actions', 'desk'].sort());
    expect(readdirSync(join(ROOT, 'workers')).filter((n) => n.endsWith('.ts'))).toEqual([]);
    const { ROLES } = await import('../../workers/desk/runner.js');
    const { QUEUES } = await import('../../workers/desk/queues.js');
    for (const role of ROLES) expect(STAGES as readonly string[]).toContain(role);
    for (const queue of Object.values(QUEUES)) expect(ROLES as readonly string[]).toContain(queue);
  });

  it("no stage imports another stage's internals, only its index.ts", () => {
    const reached: string[] = [];
    for (const file of tsFiles(join(ROOT, 'workers'))) {
      const from = relative(join(ROOT, 'workers'), file).split('/')[0]!;
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*['"](\.[^'"]+)['"]/g)) {
        const target = relative(join(ROOT, 'workers'), join(dirname(file), m[1]!));
        if (target.startsWith('..')) continue;
        const [stage, ...rest] = target.split('/');
        if (stage === from || stage === 'desk') continue;
        if (rest.join('/') !== 'index.js') reached.push(`${relative(ROOT, file)} imports ${m[1]}`);
      }
    }
    expect(reached).toEqual([]);
  });

  it('no module imports itself back through others (type-only imports aside)', () => {
    const graph = new Map<string, string[]>();
    for (const layer of LAYERS) {
      for (const file of tsFiles(join(ROOT, layer))) {
        const deps: string[] = [];
        for (const m of readFileSync(file, 'utf8').matchAll(
          /^(?:import|export)\s+(type\s+)?[^;]*?from\s+'(\.[^']+)'/gm,
        )) {
          if (m[1]) continue;
          deps.push(join(dirname(file), m[2]!).replace(/\.js$/, '.ts'));
        }
        graph.set(file, deps);
      }
    }
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      stack.push(file);
      for (const dep of graph.get(file) ?? []) {
        if (state.get(dep) === 'open')
          cycles.push([...stack.slice(stack.indexOf(dep)), dep].map((f) => relative(ROOT, f)).join(' -> '));
        else if (!state.has(dep) && graph.has(dep)) visit(dep);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
