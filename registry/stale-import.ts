/**
 * DSK-12: nothing silently undoes a move the desk made. Every registry change
 * the desk makes (or an operator's update) is noted under a path,
 * `kind/id/field` or `kind/id` for a whole entity, with the value it left
 * (store/keys.ts regChanged). A file imported later must agree with each of
 * them; where it does not, the import is refused and each difference named.
 * An export taken after the change agrees by construction.
 */
import type { RegistryDocument } from '../domain/registry-model.js';
import { idFieldOf } from './id-fields.js';

/** A value as compared: JSON with sorted keys, so key order in a file never counts as a difference. */
function canonical(v: unknown): string {
  if (v === undefined) return 'absent';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

/** What the desk's value means for a field the file may leave out (a license not forfeited, a system not disabled). */
function fileValue(entity: Record<string, unknown> | undefined, field: string | undefined): unknown {
  if (!entity) return undefined;
  if (field === undefined) return entity;
  const v = entity[field];
  if (v === undefined && (field === 'forfeited' || field === 'disabled')) return false;
  return v;
}

function deskValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** One line per change the file would undo: `licenses LK-0001 systemKey: file SYS-0001, desk SYS-0002`. */
export function staleDifferences(file: RegistryDocument, changed: Record<string, string>): string[] {
  const index = new Map<string, Map<string, Record<string, unknown>>>();
  const byId = (kind: string): Map<string, Record<string, unknown>> => {
    let m = index.get(kind);
    if (!m) {
      const list = ((file as unknown as Record<string, unknown[] | undefined>)[kind] ?? []) as Array<
        Record<string, unknown>
      >;
      m = new Map(list.map((e) => [String(e[idFieldOf(kind) ?? 'id']), e]));
      index.set(kind, m);
    }
    return m;
  };
  const out: string[] = [];
  for (const path of Object.keys(changed).sort()) {
    const [kind, id, field] = path.split('/') as [string, string, string | undefined];
    if (!idFieldOf(kind)) continue;
    const desk = deskValue(changed[path]!);
    const entity = byId(kind).get(id);
    const mine = fileValue(entity, field);
    // A whole account's holdings are noted at once: compare the two quantities the desk changes.
    if (kind === 'accounts' && field === undefined && entity) {
      const d = desk as { available?: unknown; deployed?: unknown };
      if (
        canonical(entity.available) !== canonical(d.available) ||
        canonical(entity.deployed) !== canonical(d.deployed)
      )
        out.push(
          `accounts ${id} available/deployed: file ${canonical({ available: entity.available, deployed: entity.deployed })}, desk ${canonical(desk)}`,
        );
      continue;
    }
    if (kind === 'installations' && field === undefined && entity) {
      const d = desk as { sessions?: unknown; lastReactivatedAt?: unknown };
      if (
        canonical(entity.sessions) !== canonical(d.sessions) ||
        canonical(entity.lastReactivatedAt) !== canonical(d.lastReactivatedAt)
      )
        out.push(
          `installations ${id} sessions/lastReactivatedAt: file ${canonical({ sessions: entity.sessions, lastReactivatedAt: entity.lastReactivatedAt })}, desk ${canonical(desk)}`,
        );
      continue;
    }
    if (canonical(mine) === canonical(desk)) continue;
    const what = field ? `${kind} ${id} ${field}` : `${kind} ${id}`;
    out.push(`${what}: file ${entity ? canonical(mine) : 'absent'}, desk ${canonical(desk)}`);
  }
  return out;
}
