/**
 * DSK-12, the partner's page: a case opened for a registered contact of the
 * system's partner, through the same step as `case open` and the API, then
 * `case-opened` mailed to that contact with the program's forms pre-filled.
 * Anyone else is refused without a trace they could see: the page answers
 * the same whatever happened here.
 */
import { createHash } from 'node:crypto';
import type { Partner } from '../../domain/registry-model.js';
import type { DeskContext } from '../desk/context.js';
import { enqueueMail } from '../desk/effects.js';
import { mailIds } from '../desk/queues.js';
import { openCase } from './open-case.js';

export type PartnerOpenOutcome = 'opened' | 'not-a-contact' | 'limited' | 'refused';

/** Openings asked for one address this hour; counted whether or not the address is anyone's, so the count tells nothing. */
async function overAddressLimit(ctx: DeskContext, email: string): Promise<boolean> {
  const hour = Math.floor(ctx.clock.now().getTime() / 3600_000);
  const key = `${ctx.keys.tag}:rate:open:${hour}:${createHash('sha256').update(email).digest('hex').slice(0, 32)}`;
  const n = await ctx.redis.incr(key);
  if (n === 1) await ctx.redis.expire(key, 3600);
  return n > ctx.config.openPerHour;
}

export async function openForContact(
  ctx: DeskContext,
  input: { email: string; systemKey: string; softwareOnly: boolean },
): Promise<PartnerOpenOutcome> {
  const email = input.email.trim().toLowerCase();
  if (await overAddressLimit(ctx, email)) return 'limited';
  const found = await ctx.registry.systemForCase(input.systemKey);
  const partnerId = found.endUser?.partnerId;
  const json = partnerId ? await ctx.redis.hget(ctx.keys.regDoc('partners'), partnerId) : null;
  const partner = json ? (JSON.parse(json) as Partner) : undefined;
  if (!partner || !partner.contacts.some((c) => c.toLowerCase() === email)) return 'not-a-contact';
  let opened;
  try {
    opened = await openCase(
      ctx,
      { systemKey: input.systemKey, partnerId: partner.id, softwareOnlyUpgrade: input.softwareOnly },
      `partner:${email}`,
    );
  } catch (e) {
    // A disabled system and the like: the contact is told nothing more than a stranger (reps see the audit trail).
    ctx.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'partner page: the case was not opened');
    return 'refused';
  }
  await enqueueMail(ctx, {
    mailId: mailIds.forCase(opened.number, 'case-opened', 'opened'),
    kind: 'case-opened',
    to: [email],
    caseNumber: opened.number,
    data: {
      program: opened.program,
      partnerId: opened.partnerId,
      systemKey: opened.systemKey,
      email,
      abandonDays: ctx.config.abandonDays,
    },
  });
  return 'opened';
}
