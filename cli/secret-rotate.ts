/** `licensedesk secret rotate [--json]`: re-seals stored mail under LICENSEDESK_SECRET and prints the counts. */
import { errors } from '../lib/errors.js';
import { resealMessages } from '../store/reseal.js';
import { printJson, printText } from './output.js';
import { requireSecret } from './require-secret.js';
import { configFrom, withDesk, type GlobalOptions } from './session.js';

export async function runSecretRotate(globals: GlobalOptions, json: boolean): Promise<void> {
  const config = configFrom(globals);
  requireSecret(config);
  const counts = await withDesk(globals, async (ctx) => {
    const c = await resealMessages(ctx.redis, ctx.keys, ctx.box);
    await ctx.audit.append({
      at: ctx.clock.now().toISOString(),
      actor: 'cli',
      action: 'secret-rotated',
      reason: `${c.resealed} message(s) re-sealed under key ${ctx.box.keyId}, ${c.alreadyCurrent} already current, ${c.unreadable} unreadable`,
    });
    return { keyId: ctx.box.keyId, previousKeyId: ctx.box.previousKeyId ?? null, ...c };
  });
  if (json) printJson(counts);
  else {
    printText(
      `key ${counts.keyId}: ${counts.messages} stored message(s): ${counts.resealed} re-sealed, ${counts.alreadyCurrent} already current, ${counts.withoutBody} without a body, ${counts.unreadable} unreadable${counts.legacySecretRemoved ? '; the generated secret kept in Redis by older versions was deleted' : ''}`,
    );
  }
  if (counts.unreadable > 0) {
    throw errors.E_CONFIG_INVALID(
      `${counts.unreadable} stored message(s) are sealed under a secret that is neither LICENSEDESK_SECRET nor LICENSEDESK_SECRET_PREVIOUS; set LICENSEDESK_SECRET_PREVIOUS to it and run again`,
    );
  }
}
