/**
 * Cases for the console browser test (DSK-7), on top of the AltiGen registry
 * of altigen-fixture.ts (left untouched: other suites use it). Each AltiGen
 * case asks to move a key to SYS-0002 while its form says the chassis is a
 * Max1000; the registry says Max2000, so the desk holds it for a rep (ALT-5).
 * One Avaya SWAP case's FROM FK/SID is one transposed pair away from another
 * FK/SID of the same end user, so it is held for SWP-4.
 */
import { fillForm } from '../../forms/form-filler.js';
import { altigenRegistry, cardForm, partnerMail, transferForm, TODAY } from './altigen-fixture.js';
import { audiumForms } from './programs-fixture.js';
import { runCli, type CliResult } from './desk-process.js';

export interface HeldCase {
  number: string;
  key: string;
}

/** Approved through the console. */
export const APPROVE_CASE: HeldCase = { number: '300001', key: 'LK-0007' };
/** Rejected through the console. */
export const REJECT_CASE: HeldCase = { number: '300002', key: 'LK-0004' };
/** Sent from an address the desk does not know: quarantined, then released by a rep. */
export const QUARANTINE_CASE: HeldCase = { number: '300003', key: 'LK-0003' };
/** Held and attacked: it must stay held, untouched. */
export const ATTACK_CASE: HeldCase = { number: '300004', key: 'LK-0003' };
export const STRANGER = 'someone@unknown-sender.example';

export const SWAP_CONTACT = 'swap@comms.example';
/** SWP-4: the form's FROM, and its neighbour with two digits swapped. */
export const SWAP_CASE = {
  number: '400101',
  from: 'FK-1234-5678',
  nearMiss: 'FK-1234-5687',
  to: 'FK-9000-0001',
  license: 'LS-901',
};

export const AUD_CONTACT = 'ops@voice.example';
/** AUD-1: held; approved in the console; AUD-2: completes once the rep records the old machine's reactivation. */
export const AUDIUM_CASE = { number: '500001', oldMachine: 'M-0001', newMachine: 'M-0002', license: 'LA-1' };

/** The Audium machine move of AUDIUM_CASE (License Transfer Form and Declaration of uninstall). */
export async function audiumHeldMail(): Promise<Buffer> {
  const a = AUDIUM_CASE;
  return partnerMail(`Case ${a.number}`, await audiumForms(a.number, a.oldMachine, a.newMachine, [a.license]), {
    from: AUD_CONTACT,
  });
}

export function consoleRegistry() {
  const r = altigenRegistry() as ReturnType<typeof altigenRegistry> & Record<string, unknown[]>;
  for (const c of [APPROVE_CASE, REJECT_CASE, QUARANTINE_CASE, ATTACK_CASE]) {
    r.cases.push({
      number: c.number,
      partnerId: 'P-100',
      systemKey: 'SYS-0002',
      program: 'altigen',
      openedAt: new Date().toISOString(),
    });
  }
  r.catalog.push({
    sku: 'IPO-R11-ESS-EDITION',
    kind: 'edition',
    count: 1,
    lifecycle: 'orderable',
    listPrice: { GBP: 200, EUR: 230 },
  } as never);
  r.partners.push({
    id: 'P-400',
    name: 'Comms Ltd',
    currency: 'GBP',
    contacts: [SWAP_CONTACT],
    standardDiscountPct: 20,
  } as never);
  r.endUsers.push({ id: 'EU-40', name: 'Fabrikam', partnerId: 'P-400' });
  for (const key of [SWAP_CASE.from, SWAP_CASE.nearMiss, SWAP_CASE.to]) {
    r.systems.push({
      key,
      endUserId: 'EU-40',
      program: 'avaya-swap',
      model: 'IPO-VIRTUAL',
      platform: 'virtual',
      registered: true,
    } as never);
  }
  r.licenses.push({ key: SWAP_CASE.license, systemKey: SWAP_CASE.from, sku: 'IPO-R11-ESS-EDITION', quantity: 1 });
  r.cases.push({
    number: SWAP_CASE.number,
    partnerId: 'P-400',
    systemKey: SWAP_CASE.to,
    program: 'avaya-swap',
    openedAt: new Date().toISOString(),
  });
  // AUD-1/AUD-2: a machine move held for a rep, completed after the old machine's reactivation.
  r.catalog.push({
    sku: 'AUD-STUDIO',
    kind: 'seat',
    count: 1,
    lifecycle: 'orderable',
    listPrice: { USD: 5000 },
  } as never);
  r.catalog.push({
    sku: 'AUD-CS-SESSIONS',
    kind: 'session',
    count: 1,
    lifecycle: 'orderable',
    listPrice: { USD: 100 },
  } as never);
  r.partners.push({
    id: 'P-500',
    name: 'Voice Apps',
    currency: 'USD',
    contacts: [AUD_CONTACT],
    standardDiscountPct: 0,
  } as never);
  r.endUsers.push({ id: 'EU-50', name: 'Contoso', partnerId: 'P-500' });
  for (const key of [AUDIUM_CASE.oldMachine, AUDIUM_CASE.newMachine])
    r.systems.push({ key, endUserId: 'EU-50', program: 'audium', registered: true } as never);
  r.licenses.push({ key: AUDIUM_CASE.license, systemKey: AUDIUM_CASE.oldMachine, sku: 'AUD-STUDIO', quantity: 1 });
  r.cases.push({
    number: AUDIUM_CASE.number,
    partnerId: 'P-500',
    systemKey: AUDIUM_CASE.newMachine,
    program: 'audium',
    openedAt: new Date().toISOString(),
  });
  r.pools = [{ id: 'CS-POOL-1', endUserId: 'EU-50', sku: 'AUD-CS-SESSIONS', sessions: 100 }];
  r.installations = [
    {
      machineId: AUDIUM_CASE.oldMachine,
      endUserId: 'EU-50',
      poolId: 'CS-POOL-1',
      sessions: 10,
      activatedAt: '2026-11-01T10:00:00Z',
      lastReactivatedAt: null,
    },
  ];
  return r;
}

/** A partner mail with a transfer form (chassis differs from the registry's model) and a card form: it ends HELD. */
export async function heldCaseMail(c: HeldCase, from?: string): Promise<Buffer> {
  const lt = await transferForm({
    caseNumber: c.number,
    from: 'SYS-0003',
    to: 'SYS-0002',
    chassis: 'Max1000',
    keys: [c.key],
  });
  return partnerMail(
    `Case ${c.number}`,
    [
      { name: 'transfer.pdf', bytes: lt },
      { name: 'card.pdf', bytes: await cardForm(c.number) },
    ],
    from ? { from } : {},
  );
}

/** The SWAP request whose FROM is one slip from another FK/SID: held for SWP-4. */
export async function swapHeldMail(): Promise<Buffer> {
  const s = SWAP_CASE;
  const form = await fillForm('swap-request/v1', {
    form_id: 'swap-request/v1',
    case_number: s.number,
    partner_id: 'P-400',
    partner_name: 'Comms Ltd',
    contact_email: SWAP_CONTACT,
    end_user_id: 'EU-40',
    end_user_name: 'Fabrikam',
    from_fk_sid: s.from,
    from_fk_sid_confirm: s.from,
    to_fk_sid: s.to,
    to_fk_sid_confirm: s.to,
    from_platform: 'virtual',
    rma_number: '',
    currency: 'GBP',
    ack_irrevocable: true,
    ack_eos_forfeit: false,
    signer_name: 'Sam Swap',
    signed_on: TODAY,
  });
  return partnerMail(`Case ${s.number}`, [{ name: 'swap.pdf', bytes: form }], { from: SWAP_CONTACT });
}

/** The built CLI with `input` on stdin (how `user add` and `user passwd` take a password). */
export function runCliWithInput(
  args: string[],
  env: Record<string, string>,
  input: string,
  timeoutMs = 30_000,
): Promise<CliResult> {
  return runCli(args, env, timeoutMs, input);
}

/**
 * Signs in to the console over plain HTTP as a browser would (the login
 * form's CSRF token, a same-origin Origin); returns the Cookie header to send.
 */
export async function signInOverHttp(base: string, email: string, password: string): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  };
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const form = await fetch(`${base}/login`);
  keep(form);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!token) throw new Error('no CSRF token on the sign-in page');
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, cookie: header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email, password }).toString(),
  });
  if (res.status !== 303) throw new Error(`sign-in as ${email} answered ${res.status}`);
  keep(res);
  return header();
}
