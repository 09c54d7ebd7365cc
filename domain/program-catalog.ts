/**
 * The programs one desk runs, looked up by the id a registry case carries.
 * The spine asks this catalogue; it never switches on a program's name.
 */
import type { ActivationRules, ProgramDefinition } from './program.js';

export class ProgramCatalog {
  private readonly byId: ReadonlyMap<string, ProgramDefinition<unknown>>;

  constructor(readonly list: readonly ProgramDefinition<unknown>[]) {
    const byId = new Map<string, ProgramDefinition<unknown>>();
    for (const p of list) {
      if (byId.has(p.id)) throw new Error(`program ${p.id} is listed twice`);
      byId.set(p.id, p);
    }
    this.byId = byId;
  }

  get ids(): string[] {
    return [...this.byId.keys()];
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The program of a case; a case of an unknown program is a bug in the registry import, not partner input. */
  get(id: string): ProgramDefinition<unknown> {
    const p = this.byId.get(id);
    if (!p) throw new Error(`no program "${id}" at this desk (programs: ${this.ids.join(', ')})`);
    return p;
  }

  /** The program that keeps session pools and reactivations, if any does. */
  activations(): ActivationRules | undefined {
    return this.list.find((p) => p.activations)?.activations;
  }

  /** The rule of the program that follows up physical keys, if any does. */
  keyReturnRule(): string | undefined {
    return this.list.find((p) => p.keyReturns)?.keyReturns?.rule;
  }
}
