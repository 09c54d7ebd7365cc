/**
 * Redis replication is asynchronous: a write the master acknowledged can be
 * missing on the replica Sentinel promotes. Before the ingester moves a mail
 * out of the INBOX it may ask, with WAIT, that LICENSEDESK_REDIS_WAIT_REPLICAS
 * replicas hold everything this connection wrote so far (the stored message
 * and its intake job: both went over the desk's one shared connection) within
 * LICENSEDESK_REDIS_WAIT_MS. If they do not confirm, the mail stays in the
 * INBOX and is taken again on the next pass (de-duplicated, DSK-4), so a
 * failover cannot lose a partner's mail.
 */
import type { DeskContext } from '../desk/context.js';

/** True when the configured replicas hold the writes so far (always true when WAIT is off). */
export async function onReplicas(ctx: DeskContext, log: DeskContext['log'], uid: number): Promise<boolean> {
  const { redisWaitReplicas: replicas, redisWaitMs: ms } = ctx.config;
  if (replicas <= 0) return true;
  let acked: number;
  try {
    acked = Number(await ctx.redis.call('WAIT', String(replicas), String(ms)));
  } catch (e) {
    ctx.outage.report('ingest WAIT', e);
    return false;
  }
  if (acked >= replicas) return true;
  log.warn(
    { uid, replicas, acked, waitMs: ms },
    'stored mail not confirmed on enough replicas in time; it stays in the INBOX and is taken again later',
  );
  return false;
}
