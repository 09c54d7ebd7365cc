/**
 * Tells a console account's owner that their account is being attacked: a
 * `rep-signin-locked` mail to the account's own address, through the outbox
 * like every desk mail, once a client has been locked out of the account or
 * the account's failures have reached its slow backoff. At most one mail per
 * account per lock window (the claim is in Redis, shared by every console
 * process), and the mail id is deterministic, so a retried job sends it once.
 */
import type { DeskContext } from '../desk/context.js';
import { enqueueMail } from '../desk/effects.js';
import { mailIds } from '../desk/queues.js';
import {
  ACCOUNT_BACKOFF_AFTER,
  LOCK_SECONDS,
  MAX_FAILED_SIGN_INS,
  normalEmail,
  type UserStore,
} from '../../store/user-store.js';

export const SIGN_IN_ALERT_KIND = 'rep-signin-locked';

export interface SignInAttack {
  email: string;
  /** The client address of the failure that raised the alert (as audited). */
  client: string;
  /** That failure locked the client out. */
  lockedNow: boolean;
  /** The account's failures from all clients this hour. */
  accountFailures: number;
}

/** Whether this failure is news the owner should hear: a client locked out, or the account's backoff reached. */
export const isAttack = (a: Pick<SignInAttack, 'lockedNow' | 'accountFailures'>): boolean =>
  a.lockedNow || a.accountFailures >= ACCOUNT_BACKOFF_AFTER;

/** Mails the owner unless they were mailed within the lock window; true when a mail was queued. */
export async function alertSignInAttack(ctx: DeskContext, users: UserStore, attack: SignInAttack): Promise<boolean> {
  const email = normalEmail(attack.email);
  const now = ctx.clock.now();
  if (!(await users.claimSignInAlert(email, now))) return false;
  await enqueueMail(ctx, {
    mailId: mailIds.forAccount(email, SIGN_IN_ALERT_KIND, now.getTime()),
    kind: SIGN_IN_ALERT_KIND,
    to: [email],
    data: {
      email,
      client: attack.client,
      lockedNow: attack.lockedNow,
      clientFailures: MAX_FAILED_SIGN_INS,
      accountFailures: attack.accountFailures,
      slowed: attack.accountFailures >= ACCOUNT_BACKOFF_AFTER,
      minutes: LOCK_SECONDS / 60,
      at: now.toISOString(),
    },
  });
  await ctx.audit.append({
    at: now.toISOString(),
    actor: 'console',
    action: 'console-owner-alerted',
    reason: `${email} told by mail of failed sign-ins (${attack.accountFailures} this hour)`,
  });
  return true;
}
