/**
 * `licensedesk fees …`: the fee ledger (DSK-11). `list` and `export` read it;
 * `charged`, `declined` and `waive` record billing's word on a case's fees
 * (the same steps as the console's Fees page), under the `--by` account.
 */
import { stringify } from 'csv-stringify/sync';
import { Command, Option } from 'commander';
import { errors } from '../lib/errors.js';
import { FEE_STATES, feeListItem, isFeeState, type FeeEntry } from '../domain/fee-ledger.js';
import { FeeLedger } from '../store/fee-ledger.js';
import { recordBillingWord } from '../workers/actions/fees.js';
import type { BillingWord } from '../workflows/fee-steps.js';
import { printJson, printText, table } from './output.js';
import { withDesk, type GlobalOptions } from './session.js';

/** `--since`: a date (YYYY-MM-DD, UTC midnight) or an ISO time. */
export function sinceDate(v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(t)) throw errors.E_USAGE(`--since ${v} is not a date (YYYY-MM-DD or an ISO time)`);
  return new Date(t);
}

const EXPORT_COLUMNS = [
  'id',
  'case',
  'rule',
  'amount',
  'currency',
  'partnerId',
  'state',
  'assessedAt',
  'cardLast4',
  'description',
  'licenseKey',
  'settledAt',
  'settledBy',
  'ref',
  'reason',
] as const;

/** One CSV row: the list's fields, the card's last four, and the entry's last word (when it was settled, by whom). */
function exportRow(e: FeeEntry): Record<(typeof EXPORT_COLUMNS)[number], string> {
  const last = e.history[e.history.length - 1];
  const settled = e.state !== 'due' && last ? last : undefined;
  const { card, ...listed } = feeListItem(e);
  return {
    ...listed,
    cardLast4: card?.last4 ?? '',
    description: e.description,
    licenseKey: e.licenseKey ?? '',
    settledAt: settled?.at ?? '',
    settledBy: settled?.by ?? '',
    ref: settled?.ref ?? '',
    reason: settled?.reason ?? '',
  };
}

/** The ledger as CSV for a spreadsheet: a header row, every field quoted where needed, formulas defused. */
export function feesCsv(entries: readonly FeeEntry[]): string {
  return stringify(entries.map(exportRow), {
    header: true,
    columns: [...EXPORT_COLUMNS],
    record_delimiter: 'windows',
    // A text starting with = + - @ would run as a formula in a spreadsheet: it is quoted with a leading '.
    escape_formulas: true,
  });
}

const email = (v: string): string => {
  if (!/^[^\s@]+@[^\s@]+$/.test(v.trim())) throw errors.E_USAGE(`${v} is not an e-mail address`);
  return v.trim().toLowerCase();
};

export function registerFeeCommands(program: Command, globals: () => GlobalOptions): void {
  const fees = program.command('fees').description('the fee ledger: fees assessed, charged, declined, waived, billed');
  fees
    .command('list')
    .description('ledger entries, oldest first')
    .addOption(new Option('--state <state>', 'only entries in this state').choices([...FEE_STATES]))
    .option('--since <date>', 'only entries assessed on or after this date (YYYY-MM-DD or ISO time)')
    .option('--case <number>', 'only the entries of this case')
    .option('--json', 'print JSON')
    .action(async (o: { state?: string; since?: string; case?: string; json?: boolean }) => {
      const since = sinceDate(o.since);
      const state = o.state && isFeeState(o.state) ? o.state : undefined;
      const entries = await withDesk(globals(), (ctx) =>
        new FeeLedger(ctx.redis, ctx.keys).list({ state, since, case: o.case }),
      );
      const rows = entries.map(feeListItem);
      if (o.json) printJson(rows);
      else
        printText(
          table(
            rows.map((r) => ({ ...r, card: r.card ? `…${r.card.last4}` : '' })),
            ['id', 'case', 'rule', 'amount', 'currency', 'partnerId', 'state', 'assessedAt', 'card'],
          ),
        );
    });
  fees
    .command('export')
    .description('the ledger since a date, for a spreadsheet (CSV) or another program (JSON)')
    .requiredOption('--since <date>', 'entries assessed on or after this date (YYYY-MM-DD or ISO time)')
    .addOption(new Option('--format <format>', 'csv or json').choices(['csv', 'json']).default('csv'))
    .action(async (o: { since: string; format: 'csv' | 'json' }) => {
      const since = sinceDate(o.since);
      const entries = await withDesk(globals(), (ctx) => new FeeLedger(ctx.redis, ctx.keys).list({ since }));
      if (o.format === 'json') printJson(entries.map((e) => ({ ...feeListItem(e), ...exportRow(e) })));
      else process.stdout.write(feesCsv(entries));
    });

  const word = (name: string, w: BillingWord, what: string, option: '--ref <ref>' | '--reason <text>') =>
    fees
      .command(`${name} <case>`)
      .description(what)
      .requiredOption(option, option === '--ref <ref>' ? "the payment terminal's reference" : 'why')
      .requiredOption('--by <email>', 'the billing account that acts')
      .option('--json', 'print the ledger entries of the case as JSON')
      .action(async (n: string, o: { ref?: string; reason?: string; by: string; json?: boolean }) => {
        const by = email(o.by);
        const entries = await withDesk(globals(), async (ctx) => {
          await recordBillingWord(ctx, n, w, by, { ref: o.ref, reason: o.reason });
          return new FeeLedger(ctx.redis, ctx.keys).list({ case: n });
        });
        if (o.json) printJson(entries.map(feeListItem));
        else printText(`case ${n}: ${entries.filter((e) => e.state === w).length} fee(s) ${w}`);
      });
  word('charged', 'charged', "records that the case's fees were charged to its card", '--ref <ref>');
  word(
    'declined',
    'declined',
    "records that the case's card was declined; the partner is mailed a card form",
    '--reason <text>',
  );
  word('waive', 'waived', "waives the case's fees", '--reason <text>');
}
