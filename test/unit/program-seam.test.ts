/**
 * The program seam (domain/program.ts): every part of a program is required,
 * the spine looks programs up in one list, and no program's name appears in
 * the spine. These checks are compile-time as much as run-time: `npm test`
 * type-checks this file, so a program missing a part fails the suite.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProgramCatalog } from '../../domain/program-catalog.js';
import type { ProgramDefinition } from '../../domain/program.js';
import { PROGRAMS } from '../../domain/programs/index.js';
import { tinyvox } from '../fixtures/programs/tinyvox/program.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|hbs|lua)$/.test(name) ? [path] : [];
  });
}

/** The folders that are no program's: the spine every program plugs into. */
const SPINE = [
  'cli',
  'config',
  'console',
  'domain',
  'embedded',
  'lib',
  'mail',
  'registry',
  'store',
  'workers',
  'workflows',
];

describe('the program seam', () => {
  it('a program that leaves out a part does not compile', () => {
    const { transferredMail: _left, ...partial } = tinyvox;
    // @ts-expect-error -- transferredMail is missing: every part of a program is required.
    const broken: ProgramDefinition<unknown> = partial;
    // @ts-expect-error -- states is missing.
    const noStates: ProgramDefinition<unknown> = { ...tinyvox, states: undefined };
    expect(broken.id).toBe('tinyvox');
    expect(noStates.id).toBe('tinyvox');
  });

  it('the list names the four programs once each, and a fifth is one more line', () => {
    expect(PROGRAMS.map((p) => p.id)).toEqual(['altigen', 'avaya-swap', 'lumenvox', 'audium']);
    const catalog = new ProgramCatalog([...PROGRAMS, tinyvox]);
    expect(catalog.get('tinyvox').title).toBe('TinyVox');
    expect(() => new ProgramCatalog([...PROGRAMS, PROGRAMS[0]!])).toThrow(/listed twice/);
    expect(() => catalog.get('nortel')).toThrow(/no program "nortel"/);
  });

  it('no program is named outside its own folder and the program list (demo, bench data and tests aside)', () => {
    const spine = [...SPINE, 'forms', 'templates'];
    const hits: string[] = [];
    for (const folder of spine) {
      for (const file of sourceFiles(join(ROOT, folder))) {
        const rel = relative(ROOT, file);
        if (rel.startsWith('domain/programs/')) continue;
        const text = readFileSync(file, 'utf8');
        for (const p of PROGRAMS) {
          if (text.includes(`'${p.id}'`) || text.includes(`"${p.id}"`) || text.includes(`programs/${p.id}/`))
            hits.push(`${rel}: ${p.id}`);
        }
      }
    }
    expect(hits).toEqual([]);
  });

  /** Code without its comments: a comment may say which program's rule a line serves; code may not depend on it. */
  const codeOf = (text: string): string =>
    text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`])\/\/[^\n]*/g, '$1');

  it('each program declares its rule prefix and words, and only its own rules carry that prefix', () => {
    const prefixes = PROGRAMS.map((p) => p.rulePrefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const p of PROGRAMS) {
      expect(p.rulePrefix).toMatch(/^[A-Z]{2,5}$/);
      expect(p.rulePrefix).not.toBe('DSK');
      expect(p.words.length).toBeGreaterThan(0);
      const own = new RegExp(`\\b${p.rulePrefix}-\\d+\\b`);
      for (const file of sourceFiles(join(ROOT, 'domain', 'programs', p.id))) {
        for (const other of PROGRAMS.filter((o) => o !== p)) {
          const theirs = new RegExp(`\\b${other.rulePrefix}-\\d+\\b`);
          expect(
            theirs.test(codeOf(readFileSync(file, 'utf8'))),
            `${relative(ROOT, file)} names a ${other.id} rule`,
          ).toBe(false);
        }
      }
      expect(
        sourceFiles(join(ROOT, 'domain', 'programs', p.id)).some((f) => own.test(readFileSync(f, 'utf8'))),
        `${p.id} names its own rules`,
      ).toBe(true);
    }
  });

  it("no code outside a program's folder names its rules or uses its words (the printed forms and the mail templates aside)", () => {
    // forms/ holds the printed forms of every program exactly as docs/forms.md gives them (titles, choices, field
    // labels): the documents partners fill are one desk-wide set, read by one reader. templates/ holds the words of
    // each mail kind, rule IDs included, as partners and sales read them.
    const spine = SPINE;
    const hits: string[] = [];
    for (const folder of spine) {
      for (const file of sourceFiles(join(ROOT, folder))) {
        const rel = relative(ROOT, file);
        if (rel.startsWith('domain/programs/') || !rel.endsWith('.ts')) continue;
        const code = codeOf(readFileSync(file, 'utf8'));
        for (const p of PROGRAMS) {
          const rule = new RegExp(`\\b${p.rulePrefix}-\\d+\\b`, 'g');
          for (const m of code.matchAll(rule)) hits.push(`${rel}: ${m[0]} (${p.id})`);
          for (const word of p.words) if (code.includes(word)) hits.push(`${rel}: "${word}" (${p.id})`);
        }
      }
    }
    expect(hits).toEqual([]);
  });
});
