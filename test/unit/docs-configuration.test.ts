/**
 * docs/configuration.md's table of variables and the configuration schema
 * (config/config.ts) say the same: every variable the schema reads is a row,
 * no row names anything else, and a default the schema sets is the one the
 * row gives.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/config.js';
import { packageRoot } from '../../lib/paths.js';

const page = readFileSync(join(packageRoot(), 'docs', 'configuration.md'), 'utf8');

/** The cells of a markdown table row, without the outer pipes. */
const cells = (row: string): string[] =>
  row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

/** The rows of the table whose first column is headed `variable` (there must be exactly one such table). */
function variableTable(): string[][] {
  const lines = page.split('\n');
  const heads = lines.flatMap((l, i) => (l.startsWith('|') && cells(l)[0] === 'variable' ? [i] : []));
  if (heads.length !== 1) throw new Error(`docs/configuration.md: ${heads.length} tables headed "variable", not one`);
  const start = heads[0]!;
  if (!/^\|\s*-{3,}/.test(lines[start + 1] ?? ''))
    throw new Error('docs/configuration.md: the variable table has no separator row');
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(cells(lines[i]!));
  return rows;
}

const header = cells(page.split('\n').find((l) => l.startsWith('|') && cells(l)[0] === 'variable') ?? '');
const rows = variableTable();
const DEFAULT = header.indexOf('default');
const schemaKeys = Object.keys(configSchema.shape).sort();

describe('docs/configuration.md', () => {
  it('has a meaning and a default column', () => {
    expect(header).toContain('meaning');
    expect(DEFAULT).toBeGreaterThan(0);
  });

  it('names each variable once, in backticks, in the first column', () => {
    const bad = rows.filter((r) => !/^`[A-Z][A-Z0-9_]*`$/.test(r[0] ?? '')).map((r) => r[0]);
    expect(bad).toEqual([]);
    const names = rows.map((r) => r[0]!.slice(1, -1));
    expect(new Set(names).size).toBe(names.length);
  });

  it('lists every variable the configuration schema reads, and no other', () => {
    const listed = rows.map((r) => r[0]!.slice(1, -1)).sort();
    expect(
      listed.filter((n) => !schemaKeys.includes(n)),
      'rows the schema does not read',
    ).toEqual([]);
    expect(
      schemaKeys.filter((k) => !listed.includes(k)),
      'schema variables without a row',
    ).toEqual([]);
  });

  it("gives every row a meaning and a default, and the schema's own default where it sets one", () => {
    const defaults = configSchema.parse({}) as Record<string, unknown>;
    for (const r of rows) {
      const name = r[0]!.slice(1, -1);
      expect(r.length, name).toBe(header.length);
      expect(r[1]!.length, `${name}: meaning`).toBeGreaterThan(0);
      const cell = r[DEFAULT]!;
      expect(cell.length, `${name}: default`).toBeGreaterThan(0);
      const d = defaults[name];
      if (typeof d === 'string' || typeof d === 'number') expect(cell, name).toContain(`\`${d}\``);
    }
  });
});
