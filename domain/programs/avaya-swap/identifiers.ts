/**
 * SWP-4: the SWAP uses the form's data strictly. A transposed digit would
 * disable the wrong FK/SID, so FROM and TO must each be typed twice
 * identically, exist as Avaya IP Office (`avaya-swap`) systems, not be
 * disabled, belong to one end user of the case's partner, and not be one
 * typing slip away from another of the partner's FK/SIDs.
 */
import type { RegistrySnapshot, System } from '../../registry-model.js';
import type { SwapRequestForm } from '../../../forms/typed-forms.js';
import { finalFail, fixableFail, hold, pass, type Finding } from '../../finding.js';
import {
  endUserWords,
  findSystem,
  isPartnersSystem,
  listWords,
  normalKey,
  partnerSwapSystems,
  resendForm,
} from './lookup.js';
import { nearMisses, nearMissWords } from './near-miss.js';
import { SWAP_FORM, type SwapRequest } from './request.js';

export type SwapRole = 'FROM' | 'TO';

const FIELDS: Record<
  SwapRole,
  { field: 'from_fk_sid' | 'to_fk_sid'; confirm: string; value: keyof SwapRequestForm; again: keyof SwapRequestForm }
> = {
  FROM: { field: 'from_fk_sid', confirm: 'from_fk_sid_confirm', value: 'fromFkSid', again: 'fromFkSidConfirm' },
  TO: { field: 'to_fk_sid', confirm: 'to_fk_sid_confirm', value: 'toFkSid', again: 'toFkSidConfirm' },
};

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

export interface IdentifierCheck {
  findings: Finding[];
  /** The FROM system, when it was typed twice identically, exists, is the partner's, of `avaya-swap` and not disabled. */
  from?: System;
  /** The TO system, on the same terms. */
  to?: System;
  /** True when FROM and TO are both known, distinct and of one end user (a SWAP can be planned). */
  pairOk: boolean;
}

/**
 * SWP-4 step 1: the identifier typed twice. Returns the typed value when
 * both typings are present and identical after trimming (exactly: case
 * counts, the form is used strictly).
 */
export function typedTwice(
  req: SwapRequest,
  form: SwapRequestForm,
  role: SwapRole,
): { findings: Finding[]; id?: string } {
  const f = FIELDS[role];
  const value = text(form[f.value]);
  const again = text(form[f.again]);
  const both = `both ${f.field} and ${f.confirm}, typed identically`;
  if (value === undefined && again === undefined) {
    return {
      findings: [
        fixableFail(
          'SWP-4',
          `The License SWAP Request Form gives no ${role} feature key / system ID (${f.field} and ${f.confirm} are empty).`,
          resendForm(req, both),
        ),
      ],
    };
  }
  if (value === undefined || again === undefined) {
    const empty = value === undefined ? f.field : f.confirm;
    return {
      findings: [
        fixableFail(
          'SWP-4',
          `The ${role} feature key / system ID must be typed twice, identically, but ${empty} is empty. Typing it twice guards against a mistyped FK/SID disabling the wrong system.`,
          resendForm(req, both),
        ),
      ],
    };
  }
  if (value !== again) {
    return {
      findings: [
        fixableFail(
          'SWP-4',
          `The ${role} feature key / system ID was typed two different ways: "${value}" in ${f.field} and "${again}" in ${f.confirm}. They must be identical, because a mistyped FK/SID could disable the wrong system.`,
          resendForm(req, `the correct ${role} FK/SID in ${both}`),
        ),
      ],
    };
  }
  return { findings: [], id: value };
}

/** "FK-1 of end user Globex (EU-1)" */
const owned = (snap: RegistrySnapshot, s: System): string => `${s.key} of ${endUserWords(snap, s.endUserId)}`;

interface Resolved {
  findings: Finding[];
  system?: System;
}

/**
 * SWP-4 step 2: the identifier in the registry. `heldPairs` keeps one hold
 * per pair of near-miss keys (FROM one slip from TO is one question).
 */
function resolve(
  req: SwapRequest,
  snap: RegistrySnapshot,
  id: string,
  role: SwapRole,
  heldPairs: Set<string>,
): Resolved {
  const partnerId = req.registryCase.partnerId;
  const f = FIELDS[role];
  const sys = findSystem(snap, id);
  const partners = sys !== undefined && isPartnersSystem(snap, sys, partnerId);
  const near = nearMisses(
    id,
    partnerSwapSystems(snap, partnerId)
      .map((s) => s.key)
      .filter((k) => !sys || normalKey(k) !== normalKey(sys.key)),
  );
  const nearWords = (typed: string): string =>
    listWords(
      near.map((k) => {
        const s = findSystem(snap, k);
        return `${s ? owned(snap, s) : k}, which has ${nearMissWords(typed, k)}`;
      }),
    );

  if (!sys || !partners || sys.program !== 'avaya-swap') {
    // Another partner's key is described exactly as an unknown one: no one learns of other partners' systems (DSK-3).
    const what =
      sys && partners
        ? `${owned(snap, sys)} is not an Avaya IP Office system, so it cannot take part in a SWAP`
        : `We cannot find ${id} among the Avaya IP Office systems of your end users`;
    if (near.length > 0) {
      return {
        findings: [
          hold(
            'SWP-4',
            `The ${role} FK/SID: ${what}. It is one typing slip away from ${nearWords(id)}. A rep will confirm with you whether ${id} or ${listWords(near)} was meant before anything is disabled.`,
          ),
        ],
      };
    }
    if (role === 'FROM') {
      return {
        findings: [
          fixableFail(
            'SWP-4',
            `The FROM FK/SID: ${what}. Please check it: a mistyped FK/SID could disable the wrong system.`,
            resendForm(req, `the correct FROM FK/SID in both ${f.field} and ${f.confirm}`),
          ),
        ],
      };
    }
    return {
      findings: [
        finalFail(
          'SWP-4',
          `The TO FK/SID: ${what}. Case ${req.caseNumber} was opened with ${req.registryCase.systemKey}; a SWAP can only go to an Avaya IP Office FK/SID of one of your end users. Open a new case with the right TO FK/SID.`,
        ),
      ],
    };
  }
  if (sys.disabled) {
    const after = role === 'FROM' ? 'its licenses cannot be SWAPped again' : 'it cannot receive licenses';
    const maybe =
      near.length > 0
        ? ` (It is one typing slip away from ${nearWords(sys.key)}; if you meant that one, open a case for it.)`
        : '';
    return {
      findings: [
        finalFail(
          'SWP-4',
          `The ${role} FK/SID ${sys.key} was disabled by an earlier SWAP (SWP-3): it can no longer be used or changed, so ${after}.${maybe}`,
        ),
      ],
    };
  }
  const findings: Finding[] = [];
  const fresh = near.filter((k) => {
    const pair = [normalKey(sys.key), normalKey(k)].sort().join('|');
    if (heldPairs.has(pair)) return false;
    heldPairs.add(pair);
    return true;
  });
  if (fresh.length > 0) {
    findings.push(
      hold(
        'SWP-4',
        `The ${role} FK/SID ${owned(snap, sys)} is one typing slip away from another FK/SID of your end users: ${listWords(
          fresh.map((k) => {
            const s = findSystem(snap, k);
            return `${s ? owned(snap, s) : k}: ${nearMissWords(sys.key, k)}`;
          }),
        )}. A transposed or mistyped character would disable the wrong FK/SID, so a rep will confirm whether ${sys.key} or ${listWords(fresh)} was meant before the SWAP.`,
      ),
    );
  }
  return { findings, system: sys };
}

/**
 * SWP-4 for the License SWAP Request Form (nothing while it is missing:
 * checkSwapFormReceived says so). Mistyped, unknown or another end user's
 * FROM is fixable; an unknown or foreign TO is not (the case was opened
 * with it, DSK-2); a disabled FROM or TO is not; near misses are held.
 */
export function checkSwapIdentifiers(req: SwapRequest, snap: RegistrySnapshot): IdentifierCheck {
  const form = req.forms[SWAP_FORM];
  if (!form) return { findings: [], pairOk: false };
  const findings: Finding[] = [];
  const fromTyped = typedTwice(req, form, 'FROM');
  const toTyped = typedTwice(req, form, 'TO');
  findings.push(...fromTyped.findings, ...toTyped.findings);

  let fromId = fromTyped.id;
  const toId = toTyped.id;
  if (fromId !== undefined && toId !== undefined && normalKey(fromId) === normalKey(toId)) {
    findings.push(
      fixableFail(
        'SWP-4',
        `The form SWAPs from ${fromId} to ${toId}, which is the same FK/SID. A SWAP moves licenses from one FK/SID to another.`,
        resendForm(req, 'the FK/SID the licenses leave in from_fk_sid and from_fk_sid_confirm'),
      ),
    );
    fromId = undefined;
  }

  const heldPairs = new Set<string>();
  const from = fromId === undefined ? undefined : resolve(req, snap, fromId, 'FROM', heldPairs);
  const to = toId === undefined ? undefined : resolve(req, snap, toId, 'TO', heldPairs);
  findings.push(...(from?.findings ?? []), ...(to?.findings ?? []));

  const result: IdentifierCheck = { findings, pairOk: false };
  if (from?.system) result.from = from.system;
  if (to?.system) result.to = to.system;
  const f = from?.system;
  const t = to?.system;
  if (f && t) {
    if (f.endUserId !== t.endUserId) {
      findings.push(
        fixableFail(
          'SWP-4',
          `FROM ${owned(snap, f)} and TO ${owned(snap, t)} belong to different end users. A SWAP moves licenses between FK/SIDs of one end user only.`,
          resendForm(req, `a FROM FK/SID of ${endUserWords(snap, t.endUserId)} in from_fk_sid and from_fk_sid_confirm`),
        ),
      );
    } else {
      result.pairOk = true;
      const typedUser = form.endUserId?.trim();
      if (typedUser && normalKey(typedUser) !== normalKey(t.endUserId)) {
        findings.push(
          fixableFail(
            'SWP-4',
            `The form names end user ${typedUser}, but ${f.key} and ${t.key} belong to ${endUserWords(snap, t.endUserId)}. The form's data must be exact.`,
            resendForm(req, `end_user_id ${t.endUserId} (or the FK/SIDs of end user ${typedUser})`),
          ),
        );
      }
    }
  }
  if (f && t && !findings.some((x) => x.rule === 'SWP-4' && (x.outcome === 'fail' || x.outcome === 'hold'))) {
    findings.push(
      pass(
        'SWP-4',
        `FROM ${f.key} and TO ${t.key} were each typed twice identically, are Avaya IP Office FK/SIDs of ${endUserWords(snap, t.endUserId)} of partner ${req.registryCase.partnerId}, and neither is one typing slip away from another of your FK/SIDs.`,
      ),
    );
  }
  return result;
}
