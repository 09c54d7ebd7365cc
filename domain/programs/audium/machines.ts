/**
 * AUD-1: Audium licenses are bound to a machine and are not transferable,
 * except by a rep's approval when the machine is defective, obsolete or
 * retired. The old and the new machine are Audium machines of one end user of
 * the case's partner; every move is held for a rep.
 */
import type { RegistrySnapshot, System } from '../../registry-model.js';
import { finalFail, fixableFail, hold, info, pass, type Finding } from '../../finding.js';
import { isFloatingTarget } from './floating.js';
import { findSystem, listWords, sameKey, sendAgain } from './lookup.js';
import { DECLARATION_FORM, MOVE_REASONS, TRANSFER_FORM, isMoveReason, type AudiumRequest } from './request.js';

export interface MachineCheck {
  findings: Finding[];
  /** The machine the licenses leave, when found. */
  old?: System;
  /** The machine the licenses go to, when found. */
  next?: System;
}

/**
 * AUD-1 for the machines of the License Transfer Form. Unknown machine ids
 * and the same machine twice are fixable (likely typos); a machine that is
 * not an Audium machine, is disabled, or belongs to another end user (or to
 * an end user of another partner) is not. No finding while a machine id is
 * missing (DSK-6, AUD-5 report it).
 */
export function checkMachines(req: AudiumRequest, snap: RegistrySnapshot): MachineCheck {
  const ltf = req.forms[TRANSFER_FORM];
  const fromKey = ltf?.fromSystemKey?.trim();
  const toKey = ltf?.toSystemKey?.trim();
  if (!ltf || !fromKey) return { findings: [] };
  const resend = (field: string) => `Check ${field} on the License Transfer Form and ${sendAgain(req)}.`;
  const findings: Finding[] = [];
  const old = findSystem(snap, fromKey);
  const target = toKey && !isFloatingTarget(toKey) && !snap.pools.has(toKey) ? toKey : undefined;
  const next = target ? findSystem(snap, target) : undefined;
  if (!old)
    findings.push(
      fixableFail(
        'AUD-1',
        `We cannot find machine ${fromKey} (the machine the licenses leave) in our records. Please check the machine id; it may be mistyped.`,
        resend('from_system_key'),
      ),
    );
  if (target && !next)
    findings.push(
      fixableFail(
        'AUD-1',
        `We cannot find machine ${target} (the machine the licenses go to) in our records. Please check the machine id; it may be mistyped, or the new machine may need to be registered first.`,
        resend('to_system_key'),
      ),
    );
  const found = { ...(old ? { old } : {}), ...(next ? { next } : {}) };
  if (!old || !next) return { findings, ...found };
  if (sameKey(old.key, next.key)) {
    findings.push(
      fixableFail(
        'AUD-1',
        `The License Transfer Form moves licenses from machine ${old.key} to machine ${next.key}, which is the same machine.`,
        resend('from_system_key and to_system_key'),
      ),
    );
    return { findings, ...found };
  }
  for (const m of [old, next]) {
    if (m.program !== 'audium')
      findings.push(
        finalFail(
          'AUD-1',
          `Machine ${m.key} is not an Audium machine (it is registered for program ${m.program}), so Audium licenses cannot move ${m === old ? 'from' : 'to'} it.`,
        ),
      );
  }
  if (next.disabled)
    findings.push(finalFail('AUD-1', `Machine ${next.key} is disabled and can no longer receive licenses.`));
  const name = (id: string) => `${snap.endUsers.get(id)?.name ?? id} (${id})`;
  if (old.endUserId !== next.endUserId) {
    findings.push(
      finalFail(
        'AUD-1',
        `Machine ${old.key} belongs to end user ${name(old.endUserId)} and machine ${next.key} to end user ${name(next.endUserId)}. Audium licenses can only move between machines of the same end user.`,
      ),
    );
  } else {
    const endUser = snap.endUsers.get(old.endUserId);
    const partnerId = req.registryCase.partnerId;
    if (!endUser || endUser.partnerId !== partnerId) {
      findings.push(
        finalFail(
          'AUD-1',
          `Machines ${old.key} and ${next.key} belong to end user ${name(old.endUserId)}, who is ${endUser ? `an end user of partner ${endUser.partnerId}, not` : 'not an end user'} of partner ${partnerId}, the partner of case ${req.caseNumber}. Only the end user's own partner can ask to move these licenses.`,
        ),
      );
    } else {
      const declared = req.forms[DECLARATION_FORM]?.endUserId ?? req.forms[TRANSFER_FORM]?.endUserId;
      if (declared && !sameKey(declared, endUser.id)) {
        findings.push(
          info(
            'AUD-1',
            `The forms name end user ${declared}; our records show machines ${old.key} and ${next.key} belong to ${endUser.name} (${endUser.id}). We go by our records.`,
          ),
        );
      }
    }
  }
  if (!findings.some((f) => f.outcome === 'fail')) {
    findings.push(
      pass(
        'AUD-1',
        `Machines ${old.key} and ${next.key} are both Audium machines of end user ${name(old.endUserId)} of partner ${req.registryCase.partnerId}.`,
      ),
    );
  }
  return { findings, old, next };
}

/**
 * AUD-1 for the reason on the Declaration of uninstall: a reason other than
 * defective, obsolete or retired cannot be approved (not fixable: the
 * licenses stay bound to their machine). Otherwise the move is always held
 * for a rep's approval, even when every other rule passes.
 */
export function checkMoveReason(req: AudiumRequest, machines: { old?: System; next?: System } = {}): Finding[] {
  const decl = req.forms[DECLARATION_FORM];
  const invalid = req.formProblems.find(
    (p) => p.formId === DECLARATION_FORM && p.field === 'reason' && p.problem !== 'missing',
  );
  const reason: unknown = decl?.reason;
  const allowed = listWords(MOVE_REASONS.map((r) => `${r}`)).replace(/ and /, ' or ');
  if (invalid || (reason !== undefined && !isMoveReason(reason))) {
    const given =
      typeof reason === 'string' && reason.trim() !== ''
        ? ` gives the reason as "${reason}"`
        : ` gives a reason that is not ${allowed}`;
    return [
      finalFail(
        'AUD-1',
        `The Declaration of uninstall${given}. Audium licenses are bound to their machine and are not transferable; a rep can approve a move to another machine only when the machine is ${allowed}.`,
      ),
    ];
  }
  const from = machines.old?.key ?? req.forms[TRANSFER_FORM]?.fromSystemKey?.trim() ?? decl?.oldMachineId?.trim();
  const to = machines.next?.key ?? req.forms[TRANSFER_FORM]?.toSystemKey?.trim() ?? decl?.newMachineId?.trim();
  const move = from && to ? ` from machine ${from} to machine ${to}` : '';
  const why = isMoveReason(reason) ? ` because the old machine is ${reason}` : '';
  return [
    hold(
      'AUD-1',
      `Audium licenses are bound to their machine and are not transferable. Moving them${move}${why} needs the approval of your Account Representative: a rep will review the case.`,
    ),
  ];
}
