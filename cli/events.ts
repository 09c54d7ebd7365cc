/**
 * `licensedesk events`: the event log as JSON lines, oldest first, for a
 * script that wants what the API's /events and the webhooks give.
 */
import type { Command } from 'commander';
import { errors } from '../lib/errors.js';
import { EVENT_ID } from '../store/event-log.js';
import { printJsonLine, printText } from './output.js';
import { withDesk, type GlobalOptions } from './session.js';

const PAGE = 500;

export function registerEventCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('events')
    .description('every change the desk made, oldest first; JSON lines with --json')
    .option('--after <id>', 'only events after this id')
    .option('--follow', 'keep printing new events until interrupted')
    .option('--json', 'JSON lines')
    .action(async (o: { after?: string; follow?: boolean; json?: boolean }) => {
      if (o.after !== undefined && !EVENT_ID.test(o.after))
        throw errors.E_USAGE(`--after ${o.after} is not an event id`);
      await withDesk(globals(), async (ctx) => {
        let after = o.after;
        const print = (e: { id: string; type: string; at: string; case?: string }) => {
          if (o.json) printJsonLine(e);
          else printText(`${e.id} ${e.at} ${e.type}${e.case ? ` case ${e.case}` : ''}`);
        };
        for (;;) {
          const page = await ctx.events.page(after, PAGE);
          page.forEach(print);
          if (page.length > 0) after = page[page.length - 1]!.id;
          if (page.length < PAGE) break;
        }
        if (!o.follow) return;
        let stop = false;
        process.once('SIGINT', () => (stop = true));
        process.once('SIGTERM', () => (stop = true));
        after ??= '0-0';
        while (!stop) {
          const more = await ctx.events.next(after, 1000);
          more.forEach(print);
          if (more.length > 0) after = more[more.length - 1]!.id;
        }
      });
    });
}
