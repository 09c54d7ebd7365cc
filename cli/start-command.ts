/** `licensedesk start`: the workers and the console until SIGTERM/SIGINT. */
import { openDesk } from '../workers/desk/context.js';
import { startConsole } from '../console/console-server.js';
import { DeskRunner, parseRoles } from '../workers/desk/runner.js';
import { configFrom, type GlobalOptions } from './session.js';
import { drainWithin } from './shutdown-deadline.js';
import { requireSecret, warnOfGeneratedSecret } from './require-secret.js';
import { openPrivateTmp } from '../lib/private-tmp.js';

export async function runStart(globals: GlobalOptions, only?: string): Promise<void> {
  const roles = parseRoles(only);
  const config = configFrom(globals);
  // Listen for the signals before anything starts: a SIGTERM while the desk is still starting drains it too.
  const stopRequested = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  requireSecret(config);
  openPrivateTmp(); // removed again on exit (lib/private-tmp.ts)
  const ctx = await openDesk(config);
  await warnOfGeneratedSecret(ctx);
  // Cases stored before the per-state indexes existed are indexed once, in
  // the background: readers of the indexes wait for it, the workers need not.
  ctx.cases
    .ensureIndex()
    .catch((e: Error) => ctx.log.warn({ err: e.message }, 'could not index the cases by state; the next read retries'));
  const runner = new DeskRunner(ctx, roles);
  runner.start();
  const web = await startConsole(ctx, config.httpPort, process.env.LICENSEDESK_HTTP_HOST ?? '127.0.0.1', () =>
    runner.watchdog?.report(),
  );
  ctx.log.info({ console: web.url, queues: `${web.url}/queues` }, 'console listening');
  const signal = await stopRequested;
  ctx.log.info({ signal }, 'draining: finishing the jobs in hand');
  await drainWithin(
    config.shutdownSeconds,
    async () => {
      await runner.stop();
      await web.app.close();
      await ctx.close();
    },
    () =>
      ctx.log.error(
        { seconds: config.shutdownSeconds },
        'draining did not finish within LICENSEDESK_SHUTDOWN_SECONDS; exiting 1, other processes take up the jobs in hand as stalled',
      ),
  );
  ctx.log.info('stopped');
}
