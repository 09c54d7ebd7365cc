/** Opens the desk for one CLI command and always closes it. */
import { loadConfig, type DeskConfig } from '../config/config.js';
import type { DeskContext } from '../workers/desk/context.js';

export interface GlobalOptions {
  config?: string;
}

export function configFrom(opts: GlobalOptions): DeskConfig {
  return loadConfig(process.env, opts.config);
}

export async function withDesk<T>(opts: GlobalOptions, fn: (ctx: DeskContext) => Promise<T>): Promise<T> {
  // The desk's modules load with the first command that needs Redis, not for --help or a usage error.
  const { openDesk } = await import('../workers/desk/context.js');
  const ctx = await openDesk(configFrom(opts));
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}
