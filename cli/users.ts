/**
 * `licensedesk user …`: console accounts. A password is read as one line
 * from stdin, never from argv (argv is visible to every user of the host in
 * `ps` and lands in shell history).
 */
import { createInterface } from 'node:readline';
import { Command, Option } from 'commander';
import { errors } from '../lib/errors.js';
import { ROLES, UserStore, type ConsoleRole } from '../store/user-store.js';
import { printJson, printText, table } from './output.js';
import { withDesk, type GlobalOptions } from './session.js';

/** The first line of stdin, without its line end. */
export async function readPasswordLine(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password (one line): ');
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of rl) return line.replace(/\r$/, '');
  } finally {
    rl.close();
  }
  throw errors.E_USAGE(
    'give the password as one line on stdin, e.g. `printf \'%s\\n\' "$PW" | licensedesk user add …`',
  );
}

const email = (v: string): string => {
  if (!/^[^\s@]+@[^\s@]+$/.test(v.trim())) throw errors.E_USAGE(`${v} is not an e-mail address`);
  return v.trim().toLowerCase();
};

export function registerUserCommands(program: Command, globals: () => GlobalOptions): void {
  const user = program.command('user').description('console accounts (reps, operators and billing)');
  user
    .command('add <email>')
    .description('create a console account; the password is read from stdin (one line)')
    .addOption(
      new Option(
        '--role <role>',
        'rep acts on cases; operator also sees the queues; billing charges the fees (and only that)',
      )
        .choices([...ROLES])
        .makeOptionMandatory(),
    )
    .option('--json', 'print the account as JSON')
    .action(async (address: string, o: { role: ConsoleRole; json?: boolean }) => {
      const e = email(address);
      const password = await readPasswordLine();
      const u = await withDesk(globals(), async (ctx) => {
        const created = await new UserStore(ctx.redis, ctx.keys).add(e, o.role, password, ctx.clock.now());
        await ctx.audit.append({
          at: ctx.clock.now().toISOString(),
          actor: 'cli',
          action: 'user-added',
          reason: `${e} as ${o.role}`,
        });
        return created;
      });
      if (o.json) printJson({ email: u.email, role: u.role, createdAt: u.createdAt });
      else printText(`account ${u.email} (${u.role}) created`);
    });
  user
    .command('list')
    .description('console accounts with their roles')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await withDesk(globals(), (ctx) => new UserStore(ctx.redis, ctx.keys).list());
      const rows = list.map((u) => ({ email: u.email, role: u.role, createdAt: u.createdAt }));
      if (o.json) printJson(rows);
      else printText(table(rows, ['email', 'role', 'createdAt']));
    });
  user
    .command('remove <email>')
    .description('delete a console account (its sessions end at their next request)')
    .action(async (address: string) => {
      const e = email(address);
      await withDesk(globals(), async (ctx) => {
        await new UserStore(ctx.redis, ctx.keys).remove(e);
        await ctx.audit.append({ at: ctx.clock.now().toISOString(), actor: 'cli', action: 'user-removed', reason: e });
      });
      printText(`account ${e} removed`);
    });
  user
    .command('passwd <email>')
    .description("set a new password, read from stdin (one line); the account's sessions end")
    .action(async (address: string) => {
      const e = email(address);
      const password = await readPasswordLine();
      await withDesk(globals(), async (ctx) => {
        await new UserStore(ctx.redis, ctx.keys).setPassword(e, password);
        await ctx.audit.append({
          at: ctx.clock.now().toISOString(),
          actor: 'cli',
          action: 'user-password-changed',
          reason: e,
        });
      });
      printText(`password of ${e} changed`);
    });
}
