/**
 * The error catalogue (lib/errors.ts) is the one list of codes: every code the
 * source tree names is in it, every entry is used, no call site spells a code
 * as a string literal, and docs/errors.md's table lists exactly its codes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES, DeskError, ERROR_CATALOGUE, errorOutcome, errors, type ErrorCode } from '../../lib/errors.js';
import { packageRoot } from '../../lib/paths.js';

const root = packageRoot();
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { include: string[] };

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p, ext) : ext.test(name) ? [p] : [];
  });
}

/** Every source file the build compiles, and the templates mail and the console render. */
const sources = [
  ...tsconfig.include.flatMap((d) => filesUnder(join(root, d), /\.ts$/)),
  ...filesUnder(join(root, 'templates'), /\.hbs$/),
].map((p) => ({ path: relative(root, p), text: readFileSync(p, 'utf8') }));
const catalogueFile = join('lib', 'errors.ts');
const codes = Object.keys(ERROR_CATALOGUE).sort();

/** A whole code: `E_` and upper-case words, not the tail of a longer name (LICENSEDESK_…, CASE_STATES). */
const CODE = /\bE_[A-Z0-9]+(?:_[A-Z0-9]+)*\b/g;

describe('the error catalogue', () => {
  it('has every code the source tree names (code, comment or template)', () => {
    const unknown = sources
      .flatMap((f) => [...f.text.matchAll(CODE)].map((m) => `${f.path}: ${m[0]}`))
      .filter((hit) => !codes.includes(hit.split(': ')[1]!));
    expect(unknown).toEqual([]);
  });

  it('uses every entry: each code is raised or passed on through errors.X or CODES.X somewhere', () => {
    const text = sources.map((f) => f.text).join('\n');
    const unused = codes.filter((c) => !new RegExp(`\\b(?:errors|CODES)\\.${c}\\b`).test(text));
    expect(unused).toEqual([]);
  });

  it('is the only place a code is spelled as a string literal', () => {
    const literal = /(['"`])(E_[A-Z0-9_]+)\1/g;
    const hits = sources
      .filter((f) => f.path !== catalogueFile)
      .flatMap((f) => [...f.text.matchAll(literal)].map((m) => `${f.path}: ${m[0]}`));
    expect(hits).toEqual([]);
  });

  it('is what the error table of docs/errors.md lists, no more and no less', () => {
    const page = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
    const start = page.indexOf('## Error codes');
    expect(start).toBeGreaterThan(-1);
    const section = page.slice(start).split('\n').slice(1);
    const rows = section.slice(section.findIndex((l) => l.startsWith('|')));
    const table = rows.slice(
      0,
      rows.findIndex((l) => !l.startsWith('|')) === -1 ? rows.length : rows.findIndex((l) => !l.startsWith('|')),
    );
    const listed = table.slice(2).flatMap((row) =>
      row
        .split('|')[1]!
        .split(',')
        .map((c) => c.trim()),
    );
    expect([...listed].sort()).toEqual(codes);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('gives each entry a message template, an exit code for the CLI and an HTTP status for the console API', () => {
    for (const c of codes as ErrorCode[]) {
      const spec = ERROR_CATALOGUE[c];
      expect(spec.message.length, c).toBeGreaterThan(0);
      expect(spec.exitCode, c).toBe(1); // docs/errors.md: 1 is a user error; 2 (bad usage) is commander's own
      expect(spec.httpStatus >= 400 && spec.httpStatus < 600, c).toBe(true);
    }
  });

  it('builds a DeskError from a code and its arguments, carrying the exit code and status', () => {
    const e = errors.E_CASE_NOT_FOUND('123456');
    expect(e).toBeInstanceOf(DeskError);
    expect(e.message).toBe('E_CASE_NOT_FOUND: no case 123456 at this desk');
    expect([e.code, e.exitCode, e.httpStatus]).toEqual(['E_CASE_NOT_FOUND', 1, 404]);
    expect(new DeskError(CODES.E_CASE_STATE, ['123456', 'approved']).message).toBe(
      'E_CASE_STATE: case 123456 is approved; only a held case can be approved or rejected',
    );
    expect(errors.E_CASE_CONFLICT('pool POOL-1').httpStatus).toBe(409);
    // A `%` in an argument is text, not a placeholder.
    expect(errors.E_USAGE('100%s sure').message).toBe('E_USAGE: 100%s sure');
    expect(errorOutcome(new Error('boom'))).toEqual({ code: 'E_INTERNAL', exitCode: 1, httpStatus: 500 });
  });
});
