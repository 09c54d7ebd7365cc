/**
 * The licensedesk CLI (docs/interfaces.md). Exit codes: 0 success, 1 a user error
 * (the message names an error code), 2 bad usage.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
// The desk's processes (start, demo) and the form writer load only for the command that runs them: every other
// command is a short process, and scripts call it often.
import { CODES, DeskError, errorOutcome, errors, isDeskError } from '../lib/errors.js';
import { parseRegistryText } from '../registry/validate.js';
import { CASE_STATES, isCaseState } from '../domain/case-states.js';
import { printJson, printJsonLine, printText, table } from './output.js';
import { withDesk, type GlobalOptions } from './session.js';
import { registerUserCommands } from './users.js';
import { registerFeeCommands } from './fees.js';
import { registerEventCommands } from './events.js';
import { registerTokenCommands } from './tokens.js';
import { registerWebhookCommands } from './webhooks.js';

const program = new Command();
program
  .name('licensedesk')
  .description('A software-license transfer desk: partner mail in, rules, atomic moves, mail out.')
  .option('--config <file>', 'JSON file with configuration keys (the environment wins)')
  .showHelpAfterError()
  .exitOverride();

const globals = (): GlobalOptions => program.opts<GlobalOptions>();

program
  .command('start')
  .description('run the workers (all roles by default) and the console until SIGTERM/SIGINT, then drain and exit')
  .option('--only <roles>', 'comma separated: ingest,intake,review,transfer,followup,notify')
  .action(async (o: { only?: string }) => (await import('./start-command.js')).runStart(globals(), o.only));

program
  .command('demo')
  .description('start embedded Redis, IMAP and SMTP, load demo data, deliver demo partner mail, run the desk')
  .option('--no-keep-running', 'exit after the demo cases are decided (for scripts)')
  .action(async (o: { keepRunning: boolean }) =>
    (await import('../demo/demo.js')).runDemo({ keepRunning: o.keepRunning }),
  );

const registry = program.command('registry').description('the license registry (docs/registry-file.md)');
registry
  .command('import <file>')
  .description(
    'load a registry file, all or nothing; refused (E_REGISTRY_STALE) where it would undo what the desk changed since the last import',
  )
  .option('--replace', 'import it even so, undoing those changes (recorded in the audit trail)')
  .option('--json', 'print the result as JSON')
  .action(async (file: string, o: { json?: boolean; replace?: boolean }) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw errors.E_REGISTRY_INVALID(`cannot read ${file}: ${(e as Error).message}`);
    }
    const parsed = parseRegistryText(text);
    if (!parsed.ok) {
      throw new DeskError(
        CODES.E_REGISTRY_INVALID,
        [`${file} is not a valid registry; nothing was changed\n${parsed.errors.join('\n')}`],
        parsed.errors,
      );
    }
    const { counts, replaced } = await withDesk(globals(), async (ctx) =>
      (await import('../workers/actions/registry-import.js')).importRegistry(ctx, parsed.doc, {
        actor: 'cli',
        source: file,
        replace: o.replace,
      }),
    );
    if (replaced.length > 0)
      process.stderr.write(`--replace: undid ${replaced.length} change(s) the desk made:\n${replaced.join('\n')}\n`);
    if (o.json) printJson({ imported: true, counts, replaced });
    else
      printText(
        `imported ${file}: ${Object.entries(counts)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')}`,
      );
  });
registry
  .command('apply <file>')
  .description('upsert the entities of a file holding any of the registry lists, all or nothing; prints what changed')
  .option('--json', 'print the changes as JSON')
  .action(async (file: string, o: { json?: boolean }) => {
    let input: unknown;
    try {
      input = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw errors.E_REGISTRY_INVALID(`cannot read ${file}: ${(e as Error).message}`);
    }
    const changes = await withDesk(globals(), async (ctx) =>
      (await import('../workers/actions/registry-apply.js')).applyRegistryFile(ctx, input, 'cli'),
    );
    if (o.json) printJson(changes.map((c) => ({ kind: c.kind, id: c.id, change: c.change })));
    else printText(changes.map((c) => `${c.kind} ${c.id}: ${c.change}`).join('\n'));
  });
registry
  .command('export')
  .description('write the registry back (an import of the export gives the same registry)')
  .option('--out <file>', 'write to this file instead of stdout')
  .action(async (o: { out?: string }) => {
    const doc = await withDesk(globals(), (ctx) => ctx.registry.export());
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    if (o.out) writeFileSync(o.out, text);
    else process.stdout.write(text);
  });

program
  .command('forms')
  .description('the blank PDF forms (docs/forms.md)')
  .command('write <dir>')
  .description('write the blank forms to a folder')
  .option('--json', 'print the written files as JSON')
  .action(async (dir: string, o: { json?: boolean }) => {
    mkdirSync(dir, { recursive: true });
    const { writeBlankForms } = await import('../forms/blank-writer.js');
    const files = await writeBlankForms(dir);
    if (o.json) printJson({ files });
    else printText(files.join('\n'));
  });

const kase = program.command('case').description('cases');
kase
  .command('list')
  .description('cases with number, program, state')
  .addOption(new Option('--state <state>', 'only cases in this state').choices([...CASE_STATES]))
  .option('--json', 'print JSON')
  .action(async (o: { state?: string; json?: boolean }) => {
    const state = o.state && isCaseState(o.state) ? o.state : undefined;
    const docs = await withDesk(globals(), async (ctx) =>
      (await import('../store/case-listing.js')).allCases(ctx.cases, state),
    );
    const rows = docs.map((d) => ({
      number: d.number,
      program: d.program,
      state: d.state,
      partnerId: d.partnerId,
      receivedAt: d.receivedAt,
      deadlineAt: d.deadlineAt,
    }));
    if (o.json) printJson(rows);
    else printText(table(rows, ['number', 'program', 'state', 'partnerId', 'receivedAt', 'deadlineAt']));
  });
kase
  .command('open')
  .description('open a case on the system the licenses move to (DSK-12); prints the case, state new')
  .requiredOption('--system <key>', 'the system the licenses move to')
  .option('--partner <id>', "the partner (checked: the system must be one of its end users')")
  .option('--number <n>', "the vendor's own case number (6 to 10 digits); otherwise the desk numbers it")
  .option('--software-only', 'the move upgrades to a software-only solution')
  .option('--by <email>', 'who opens it (the audit trail)', 'cli')
  .option('--json', 'print JSON')
  .action(
    async (o: {
      system: string;
      partner?: string;
      number?: string;
      softwareOnly?: boolean;
      by: string;
      json?: boolean;
    }) => {
      const c = await withDesk(globals(), async (ctx) =>
        (await import('../workers/actions/open-case.js')).openCase(
          ctx,
          { systemKey: o.system, partnerId: o.partner, number: o.number, softwareOnlyUpgrade: o.softwareOnly },
          o.by,
        ),
      );
      if (o.json) printJson(c);
      else printText(`case ${c.number} opened on ${c.systemKey} for ${c.partnerId} (${c.program})`);
    },
  );
kase
  .command('show <number>')
  .description('one case: findings, fees, moves, messages')
  .option('--json', 'print JSON')
  .action(async (n: string, o: { json?: boolean }) => {
    const d = await withDesk(globals(), async (ctx) =>
      (await import('../workers/actions/open-case.js')).caseView(ctx, n),
    );
    if (o.json) printJson(d);
    else {
      printText(
        [
          `case ${d.number} (${d.program}) partner ${d.partnerId}: ${d.state}`,
          ...d.findings.map((f) => `  ${f.rule.padEnd(6)} ${f.outcome.padEnd(4)} ${f.message}`),
          ...d.fees.map((f) => `  fee ${f.rule}: ${f.amount} ${f.currency} ${f.description}`),
          ...d.moves.map((m) => `  moved ${m.licenseKey}: ${m.from} -> ${m.to}`),
        ].join('\n'),
      );
    }
  });
kase
  .command('approve <number>')
  .description('a rep releases a held case')
  .requiredOption('--by <email>', 'the rep')
  .option('--note <text>', 'why')
  .option('--json', 'print the case as JSON')
  .action(async (n: string, o: { by: string; note?: string; json?: boolean }) => {
    const doc = await withDesk(globals(), async (ctx) =>
      (await import('../workers/actions/rep.js')).approveCase(ctx, n, o.by, o.note),
    );
    if (o.json) printJson(doc);
    else printText(`case ${n} approved by ${o.by}; the move is queued`);
  });
kase
  .command('reject <number>')
  .description('a rep rejects a held case')
  .requiredOption('--by <email>', 'the rep')
  .requiredOption('--reason <text>', 'told to the partner')
  .option('--json', 'print the case as JSON')
  .action(async (n: string, o: { by: string; reason: string; json?: boolean }) => {
    const doc = await withDesk(globals(), async (ctx) =>
      (await import('../workers/actions/rep.js')).rejectCase(ctx, n, o.by, o.reason),
    );
    if (o.json) printJson(doc);
    else printText(`case ${n} rejected by ${o.by}`);
  });

program
  .command('key')
  .description('physical keys a program asks back after a move')
  .command('returned <fk>')
  .description('records the return of a physical feature key (stops its bill)')
  .requiredOption('--by <email>', 'who received it')
  .option('--json', 'print JSON')
  .action(async (fk: string, o: { by: string; json?: boolean }) => {
    const r = await withDesk(globals(), async (ctx) =>
      (await import('../workers/actions/activation.js')).recordKeyReturn(ctx, fk, o.by),
    );
    if (o.json) printJson(r);
    else
      printText(
        `return of ${fk} recorded${r.casesClosed.length ? `; case(s) ${r.casesClosed.join(', ')} closed` : ''}`,
      );
  });

const activation = program.command('activation').description('machine activations of a program with session pools');
activation
  .command('claim <machine>')
  .description('an installation claims sessions from a pool')
  .requiredOption('--pool <pool>', 'the pool id')
  .requiredOption('--sessions <n>', 'the sessions the installation should have', (v) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError('a whole number');
    return Number(v);
  })
  .option('--json', 'print JSON')
  .action(async (machine: string, o: { pool: string; sessions: number; json?: boolean }) => {
    const r = await withDesk(globals(), async (ctx) =>
      (await import('../workers/actions/activation.js')).claimActivation(ctx, machine, o.pool, o.sessions),
    );
    if (o.json) printJson(r);
    else
      printText(
        `${machine}: ${r.sessions} session(s) (claimed ${r.claimed} now); ${r.sessionsLeft} left in ${r.poolId}`,
      );
  });
activation
  .command('reactivate <machine>')
  .description("a reactivation: pulls the license's latest state, consumes nothing, confirms a deactivation")
  .option('--json', 'print JSON')
  .action(async (machine: string, o: { json?: boolean }) => {
    const r = await withDesk(globals(), async (ctx) =>
      (await import('../workers/actions/activation.js')).reactivateMachine(ctx, machine),
    );
    if (o.json) printJson(r);
    else
      printText(
        `${machine} reactivated at ${r.reactivatedAt}${r.casesResumed.length ? `; case(s) ${r.casesResumed.join(', ')} can now complete` : ''}`,
      );
  });

program
  .command('audit [number]')
  .description('the audit trail (DSK-8), oldest first; JSON lines with --json')
  .option('--json', 'JSON lines')
  .action(async (n: string | undefined, o: { json?: boolean }) => {
    await withDesk(globals(), async (ctx) => {
      for await (const e of ctx.audit.read(n)) {
        if (o.json) printJsonLine(e);
        else
          printText(
            `${e.at} ${e.case ?? '-'} ${e.actor} ${e.action}${e.from ? ` ${e.from}->${e.to}` : ''}${e.reason ? `: ${e.reason}` : ''}`,
          );
      }
    });
  });

const quarantine = program.command('quarantine').description('messages held for a rep');
quarantine
  .command('release <id>')
  .description('a rep vouches for a quarantined message: it is processed again, its sender accepted')
  .requiredOption('--by <email>', 'the rep')
  .option('--reason <text>', 'why (goes to the audit trail)', 'released with the CLI')
  .action(async (id: string, o: { by: string; reason: string }) => {
    // The console's release, the same steps (workers/actions/quarantine.ts).
    await withDesk(globals(), async (ctx) =>
      (await import('../workers/actions/quarantine.js')).releaseQuarantined(ctx, id, o.by, o.reason),
    );
    printText(`message ${id} released by ${o.by}; it is processed again`);
  });
quarantine
  .command('list')
  .description('unknown sender, unreadable, too large')
  .option('--json', 'print JSON')
  .action(async (o: { json?: boolean }) => {
    const list = await withDesk(globals(), (ctx) => ctx.messages.quarantined());
    const rows = list.map((m) => ({
      id: m.id,
      from: m.meta.from,
      subject: m.meta.subject,
      messageId: m.meta.messageId,
      size: m.meta.size,
      receivedAt: m.meta.receivedAt,
      reason: m.outcome,
    }));
    if (o.json) printJson(rows);
    else printText(table(rows, ['id', 'from', 'subject', 'reason']));
  });

program
  .command('secret')
  .description("the desk's secret (LICENSEDESK_SECRET)")
  .command('rotate')
  .description(
    're-seal everything sealed under LICENSEDESK_SECRET_PREVIOUS with LICENSEDESK_SECRET (safe to run again)',
  )
  .option('--json', 'print the counts as JSON')
  .action(async (o: { json?: boolean }) => (await import('./secret-rotate.js')).runSecretRotate(globals(), !!o.json));

const jobs = program.command('jobs').description('waiting and delayed jobs');
jobs
  .command('list')
  .description('id, queue, name, dueAt')
  .option('--json', 'print JSON')
  .action(async (o: { json?: boolean }) => {
    const rows = await withDesk(globals(), async (ctx) => (await import('./jobs.js')).listJobs(ctx));
    if (o.json) printJson(rows);
    else printText(table(rows, ['id', 'queue', 'name', 'state', 'dueAt']));
  });
jobs
  .command('promote <id>')
  .description('run a delayed job now (an operator override)')
  .action(async (id: string) => {
    const queue = await withDesk(globals(), async (ctx) => (await import('./jobs.js')).promoteJob(ctx, id));
    printText(`job ${id} (${queue}) promoted`);
  });

registerUserCommands(program, globals);
registerFeeCommands(program, globals);
registerEventCommands(program, globals);
registerTokenCommands(program, globals);
registerWebhookCommands(program, globals);

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        process.exit(0);
      process.exit(2);
    }
    // The exit code comes from the error catalogue (lib/errors.ts).
    const outcome = errorOutcome(e);
    process.stderr.write(`${isDeskError(e) ? e.message : `${outcome.code}: ${(e as Error).stack ?? String(e)}`}\n`);
    process.exit(outcome.exitCode);
  }
}

await main();
