/** `licensedesk token …`: API tokens for the vendor's systems; the token is printed once, at `add`. */
import type { Command } from 'commander';
import { errors } from '../lib/errors.js';
import { parseScopes, TokenStore } from '../store/token-store.js';
import { printJson, printText, table } from './output.js';
import { withDesk, type GlobalOptions } from './session.js';

export function registerTokenCommands(program: Command, globals: () => GlobalOptions): void {
  const token = program.command('token').description('API tokens (stored hashed; shown once)');
  token
    .command('add <name>')
    .description('make a token with these scopes and print it once')
    .requiredOption(
      '--scope <scopes>',
      'comma separated: cases:read, cases:write, registry:read, registry:write, events:read, fees:read',
    )
    .option('--json', 'print JSON')
    .action(async (name: string, o: { scope: string; json?: boolean }) => {
      const scopes = parseScopes(o.scope);
      const t = await withDesk(globals(), async (ctx) => {
        const made = await new TokenStore(ctx.redis, ctx.keys).add(name, scopes, ctx.clock.now());
        await ctx.audit.append({
          at: ctx.clock.now().toISOString(),
          actor: 'cli',
          action: 'token-added',
          reason: `${name}: ${scopes.join(',')}`,
        });
        return made;
      });
      if (o.json) printJson(t);
      else printText(`${t.token}\n(token ${t.name}, scopes ${t.scopes.join(',')}; it is not shown again)`);
    });
  token
    .command('list')
    .description('every token: name, scopes, created, last used (never the token)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await withDesk(globals(), (ctx) => new TokenStore(ctx.redis, ctx.keys).list());
      if (o.json) printJson(list);
      else
        printText(
          table(
            list.map((t) => ({ ...t, scopes: t.scopes.join(','), lastUsed: t.lastUsed ?? '-' })),
            ['name', 'scopes', 'created', 'lastUsed'],
          ),
        );
    });
  token
    .command('remove <name>')
    .description('revoke a token at once')
    .action(async (name: string) => {
      await withDesk(globals(), async (ctx) => {
        if (!(await new TokenStore(ctx.redis, ctx.keys).remove(name))) throw errors.E_NOT_FOUND(`no token ${name}`);
        await ctx.audit.append({
          at: ctx.clock.now().toISOString(),
          actor: 'cli',
          action: 'token-removed',
          reason: name,
        });
      });
      printText(`token ${name} removed`);
    });
}
