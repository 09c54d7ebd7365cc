/**
 * One paper file read as the parse child reads it (forms/paper/read-paper.ts),
 * in a process of its own so `npm run bench:paper` can take its CPU and peak
 * memory, tools included, from /usr/bin/time. Prints the forms read as one
 * JSON line (the corpus is the benchmark's own, no real card data).
 * Usage: node dist/bench/paper-read-one.js FILE | --noop
 */
import { readFileSync } from 'node:fs';
import { paperKind, readPaper } from '../forms/paper/read-paper.js';

const arg = process.argv[2] ?? '';
if (arg === '--noop') {
  process.stdout.write('{"forms":[]}\n');
} else {
  const bytes = new Uint8Array(readFileSync(arg));
  const kind = paperKind(bytes);
  if (!kind) throw new Error('not a paper file');
  // No per-page budget here: the benchmark measures what is read, and reports the pages over the desk's budget.
  const r = await readPaper(bytes, kind, Date.now() + 300_000, { pageBudgetMs: 300_000 });
  process.stdout.write(
    `${JSON.stringify({ forms: r.forms.map((f) => ({ formId: f.formId, fields: f.fields, confidence: f.paper?.confidence ?? {} })), unplaced: r.unplaced, pageMs: r.pageMs })}\n`,
  );
}
