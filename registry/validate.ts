/**
 * Validation of the registry file (docs/registry-file.md). Every problem is reported as
 * one line `path: what is wrong`, e.g. `systems[3].saExpiresOn: not a date`,
 * and every bad value is named, not only the first: the schema's issues and
 * the referential/uniqueness checks are collected together.
 */
import type { z } from 'zod';
import { CODES, DeskError } from '../lib/errors.js';
import { registrySchemaFor, type RegistryDocument } from '../domain/registry-model.js';
import { PROGRAMS } from '../domain/programs/index.js';

export const E_REGISTRY_INVALID = CODES.E_REGISTRY_INVALID;

export type RegistryValidation = { ok: true; doc: RegistryDocument } | { ok: false; errors: string[] };

/** Thrown (by the store and the CLI) for a registry that fails validation. */
export class RegistryInvalidError extends DeskError {
  constructor(readonly errors: string[]) {
    const n = errors.length;
    super(
      E_REGISTRY_INVALID,
      [`the registry file is not valid (${n} problem${n === 1 ? '' : 's'})\n${errors.join('\n')}`],
      errors,
    );
    this.name = 'RegistryInvalidError';
  }
}

/** `['systems', 3, 'saExpiresOn']` -> `systems[3].saExpiresOn`; `[]` -> `(file)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') {
      out += `[${p}]`;
    } else {
      const s = typeof p === 'symbol' ? (p.description ?? '') : p;
      out += /^[A-Za-z0-9_$-]+$/.test(s) ? (out ? `.${s}` : s) : `[${JSON.stringify(s)}]`;
    }
  }
  return out || '(file)';
}

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Messages for the issues the schema does not word itself. */
const errorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? 'missing' : `expected ${iss.expected}, got ${describe(iss.input)}`;
    case 'invalid_value':
      return `not one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return undefined;
  }
};

/** One problem: where (a zod-style path) and what. */
interface Problem {
  path: readonly PropertyKey[];
  msg: string;
}

function issueProblems(issues: readonly z.core.$ZodIssue[]): Problem[] {
  const lines: Problem[] = [];
  for (const iss of issues) {
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) lines.push({ path: [...iss.path, key], msg: 'unknown field' });
    } else if (iss.code === 'invalid_key') {
      const why = iss.issues.map((i) => i.message).join('; ') || iss.message;
      lines.push({ path: iss.path, msg: `bad key: ${why}` });
    } else if (iss.code === 'invalid_union' && iss.errors.length > 0) {
      lines.push({
        path: iss.path,
        msg: iss.errors
          .flat()
          .map((i) => i.message)
          .join(' or '),
      });
    } else {
      lines.push({ path: iss.path, msg: iss.message });
    }
  }
  return lines;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
/** An id as the schema would keep it (trimmed), or undefined when it is not one. */
const idOf = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

const OPTIONAL = new Set(['accounts', 'pools', 'installations']);
const FILE_ORDER = [
  'catalog',
  'partners',
  'endUsers',
  'systems',
  'licenses',
  'cases',
  'accounts',
  'pools',
  'installations',
];

/**
 * Referential and uniqueness checks. They run on the raw input, so they are
 * reported together with the schema's issues; a reference into a collection
 * that is itself unusable (not a list) is not checked, to avoid noise.
 */
function crossCheck(root: unknown): Problem[] {
  if (!isRec(root)) return [];
  const errors: Problem[] = [];
  const err = (path: readonly PropertyKey[], msg: string) => errors.push({ path, msg });

  const items = (c: string): Array<[number, Rec]> => {
    const a = root[c];
    if (!Array.isArray(a)) return [];
    const out: Array<[number, Rec]> = [];
    a.forEach((v, i) => {
      if (isRec(v)) out.push([i, v]);
    });
    return out;
  };

  /** id -> first index, with duplicates reported; undefined when the collection is unusable. */
  const index = (c: string, field: string): Map<string, number> | undefined => {
    const a = root[c];
    if (a === undefined && OPTIONAL.has(c)) return new Map();
    if (!Array.isArray(a)) return undefined;
    const seen = new Map<string, number>();
    for (const [i, r] of items(c)) {
      const id = idOf(r[field]);
      if (id === undefined) continue;
      const first = seen.get(id);
      if (first !== undefined) err([c, i, field], `duplicate ${JSON.stringify(id)} (also ${c}[${first}])`);
      else seen.set(id, i);
    }
    return seen;
  };

  const catalog = index('catalog', 'sku');
  const partners = index('partners', 'id');
  const endUsers = index('endUsers', 'id');
  const systems = index('systems', 'key');
  index('licenses', 'key');
  index('cases', 'number');
  const accounts = index('accounts', 'id');
  const pools = index('pools', 'id');
  index('installations', 'machineId');

  const ref = (target: Map<string, number> | undefined, what: string, path: readonly PropertyKey[], value: unknown) => {
    const id = idOf(value);
    if (!target || id === undefined) return;
    if (!target.has(id)) err(path, `no ${what} ${JSON.stringify(id)}`);
  };

  for (const [i, p] of items('partners')) {
    const ex = p.pricingExceptions;
    if (isRec(ex) && catalog) {
      for (const sku of Object.keys(ex)) {
        if (idOf(sku) !== undefined && !catalog.has(sku.trim())) {
          err(['partners', i, 'pricingExceptions', sku], `no catalog sku ${JSON.stringify(sku)}`);
        }
      }
    }
  }
  for (const [i, u] of items('endUsers')) ref(partners, 'partner', ['endUsers', i, 'partnerId'], u.partnerId);
  for (const [i, s] of items('systems')) ref(endUsers, 'end user', ['systems', i, 'endUserId'], s.endUserId);
  for (const [i, l] of items('licenses')) {
    ref(systems, 'system', ['licenses', i, 'systemKey'], l.systemKey);
    ref(catalog, 'catalog sku', ['licenses', i, 'sku'], l.sku);
  }
  for (const [i, c] of items('cases')) {
    ref(partners, 'partner', ['cases', i, 'partnerId'], c.partnerId);
    ref(systems, 'system', ['cases', i, 'systemKey'], c.systemKey);
  }
  for (const [i, a] of items('accounts')) {
    const self = idOf(a.id);
    ref(partners, 'partner', ['accounts', i, 'partnerId'], a.partnerId);
    if (a.parentId !== null) {
      ref(accounts, 'account', ['accounts', i, 'parentId'], a.parentId);
      if (self !== undefined && idOf(a.parentId) === self)
        err(['accounts', i, 'parentId'], 'an account cannot be its own parent');
    }
    if (Array.isArray(a.linkedAccountIds)) {
      a.linkedAccountIds.forEach((l, j) => {
        ref(accounts, 'account', ['accounts', i, 'linkedAccountIds', j], l);
        if (self !== undefined && idOf(l) === self)
          err(['accounts', i, 'linkedAccountIds', j], 'an account cannot link to itself');
      });
    }
  }
  for (const [i, p] of items('pools')) ref(endUsers, 'end user', ['pools', i, 'endUserId'], p.endUserId);

  const claimed = new Map<string, number>();
  for (const [i, inst] of items('installations')) {
    ref(endUsers, 'end user', ['installations', i, 'endUserId'], inst.endUserId);
    ref(pools, 'pool', ['installations', i, 'poolId'], inst.poolId);
    const poolId = idOf(inst.poolId);
    if (poolId !== undefined && typeof inst.sessions === 'number' && Number.isFinite(inst.sessions)) {
      claimed.set(poolId, (claimed.get(poolId) ?? 0) + inst.sessions);
    }
  }
  if (pools) {
    for (const [i, p] of items('pools')) {
      const id = idOf(p.id);
      if (id === undefined || pools.get(id) !== i || typeof p.sessions !== 'number') continue;
      const claim = claimed.get(id) ?? 0;
      if (claim > p.sessions) {
        err(['pools', i, 'sessions'], `installations claim ${claim} sessions, more than the pool's ${p.sessions}`);
      }
    }
  }
  return errors;
}

const PROGRAM_IDS = PROGRAMS.map((p) => p.id);
const schemas = new Map<string, ReturnType<typeof registrySchemaFor>>();
const schemaFor = (ids: readonly string[]) => {
  const key = ids.join('\n');
  let s = schemas.get(key);
  if (!s) schemas.set(key, (s = registrySchemaFor(ids)));
  return s;
};

/** Validates a parsed registry file: the schema, then references and uniqueness. */
export function validateRegistry(input: unknown, programIds: readonly string[] = PROGRAM_IDS): RegistryValidation {
  const parsed = schemaFor(programIds).safeParse(input, { error: errorMap });
  const problems = [...(parsed.success ? [] : issueProblems(parsed.error.issues)), ...crossCheck(input)];
  if (problems.length > 0 || !parsed.success) {
    // in file order: by list (as docs/registry-file.md orders them), then by item; stable within an item
    const rank = (p: Problem): [number, number] => {
      const [top, index] = p.path;
      const r = FILE_ORDER.indexOf(String(top));
      return [p.path.length === 0 ? -1 : r === -1 ? FILE_ORDER.length : r, typeof index === 'number' ? index : -1];
    };
    const sorted = problems
      .map((p, i) => ({ p, i, r: rank(p) }))
      .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.i - b.i)
      .map(({ p }) => `${formatPath(p.path)}: ${p.msg}`);
    return { ok: false, errors: [...new Set(sorted)] };
  }
  return { ok: true, doc: parsed.data };
}

/** Like validateRegistry, throwing RegistryInvalidError (E_REGISTRY_INVALID). */
export function assertValidRegistry(input: unknown, programIds?: readonly string[]): RegistryDocument {
  const r = validateRegistry(input, programIds);
  if (!r.ok) throw new RegistryInvalidError(r.errors);
  return r.doc;
}

/** 0-based offset -> 1-based line and column. */
function lineColumn(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(pos, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 };
}

class JsonSyntax {
  constructor(
    readonly pos: number,
    readonly reason: string,
  ) {}
}

/**
 * Where and why JSON.parse failed: the messages of V8 do not always carry a
 * position (Node 20: "Unexpected token '}', ... is not valid JSON"), so the
 * text is scanned by the JSON grammar to find the first bad character.
 */
export function findJsonError(s: string): { pos: number; reason: string } | undefined {
  let i = 0;
  const fail = (reason: string): never => {
    throw new JsonSyntax(i, reason);
  };
  const unexpected = (what = ''): never =>
    fail(i >= s.length ? 'unexpected end of file' : `unexpected ${JSON.stringify(s[i])}${what}`);
  const ws = () => {
    while (i < s.length && ' \t\n\r'.includes(s[i] as string)) i++;
  };
  const str = () => {
    i++;
    for (;;) {
      if (i >= s.length) fail('unterminated string');
      const c = s[i] as string;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        const e = s[i];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) i += 5;
        else fail('bad escape in string');
      } else if (c.charCodeAt(0) < 0x20) {
        fail('control character in string');
      } else {
        i++;
      }
    }
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (s[i] !== '"') unexpected(', expected a property name in double quotes');
        str();
        ws();
        if (s[i] !== ':') unexpected(", expected ':'");
        i++;
        value();
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return;
        }
        unexpected(", expected ',' or '}'");
      }
    } else if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return;
        }
        unexpected(", expected ',' or ']'");
      }
    } else if (c === '"') {
      str();
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      const re = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
      re.lastIndex = i;
      if (!re.exec(s)) fail('bad number');
      i = re.lastIndex;
    } else {
      for (const lit of ['true', 'false', 'null']) {
        if (s.startsWith(lit, i)) {
          i += lit.length;
          return;
        }
      }
      unexpected();
    }
  };
  try {
    value();
    ws();
    if (i < s.length) unexpected(' after the end of the JSON value');
    return undefined;
  } catch (e) {
    if (e instanceof JsonSyntax) return { pos: e.pos, reason: e.reason };
    throw e;
  }
}

/**
 * Parses and validates the text of a registry file. A JSON syntax error is
 * reported with its line, column and offset.
 */
export function parseRegistryText(text: string): RegistryValidation {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch (e) {
    const found = findJsonError(body);
    const m = /at position (\d+)/.exec((e as Error).message);
    const pos = found?.pos ?? (m ? Number(m[1]) : body.length);
    const { line, column } = lineColumn(body, pos);
    const why = found?.reason ?? (e as Error).message;
    return {
      ok: false,
      errors: [`(file): not valid JSON at line ${line}, column ${column} (position ${pos}): ${why}`],
    };
  }
  return validateRegistry(input);
}
