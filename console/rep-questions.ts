/**
 * The questions a held case asks its rep (SWP-4: which FK/SID was meant),
 * from the case's program; the console shows them and passes the answers
 * back to the program to decide approve or reject.
 */
import type { CaseDoc } from '../domain/case-doc.js';
import type { RepQuestion } from '../domain/program.js';
import type { DeskContext } from '../workers/desk/context.js';

export async function repQuestions(ctx: DeskContext, doc: CaseDoc): Promise<RepQuestion[]> {
  const rules = ctx.programs.get(doc.program).repQuestions;
  if (!rules || doc.state !== 'held') return [];
  return rules.ask(doc, await ctx.registry.snapshotForPartner(doc.partnerId));
}
