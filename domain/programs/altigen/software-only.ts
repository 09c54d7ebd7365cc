/**
 * ALT-7: in a software-only upgrade, station licenses become SSW-STATION-XX
 * and ACC/ACM agent seats SSW-ACMAGENT-XX (XX = the seats on the key); sales
 * gets a no-charge purchase order for every license moved.
 */
import type { CatalogItem, RegistrySnapshot } from '../../registry-model.js';
import { fixableFail, info, pass, type Finding } from '../../finding.js';
import { catalogItem, kindOf, listWords, seatsOf } from './lookup.js';
import type { AltigenRequest, Conversion, PlannedMove } from './request.js';

/** What one key becomes: stations -> SSW-STATION-n, agents -> SSW-ACMAGENT-n, others keep their SKU. */
export function convertKey(move: { licenseKey: string; sku: string; quantity: number }, item: CatalogItem): Conversion {
  const seats = seatsOf(move, item);
  const kind = kindOf(item);
  const toSku = kind === 'station' ? `SSW-STATION-${seats}` : kind === 'agent' ? `SSW-ACMAGENT-${seats}` : move.sku;
  return { licenseKey: move.licenseKey, fromSku: move.sku, toSku, kind, seats };
}

/**
 * ALT-7. Plans the conversions of the moved keys (keys of unknown products
 * are left out: ALT-3 holds them). When every key is known, the worksheet's
 * station_count and agent_seat_count must equal the keys' totals, else a
 * fixable fail. Nothing when this is not a software-only upgrade.
 */
export function planSoftwareOnly(
  req: AltigenRequest,
  snap: RegistrySnapshot,
  moves: readonly PlannedMove[],
  softwareOnly: boolean,
  keysComplete: boolean,
): { findings: Finding[]; conversions: Conversion[] } {
  if (!softwareOnly || moves.length === 0) return { findings: [], conversions: [] };
  const conversions: Conversion[] = [];
  for (const m of moves) {
    const item = catalogItem(snap, m.sku);
    if (item) conversions.push(convertKey(m, item));
  }
  const stations = conversions.filter((c) => c.kind === 'station').reduce((s, c) => s + c.seats, 0);
  const agents = conversions.filter((c) => c.kind === 'agent').reduce((s, c) => s + c.seats, 0);
  const findings: Finding[] = [];
  const sso = req.forms['sso-migration/v1'];
  if (sso && keysComplete && conversions.length === moves.length) {
    const fix = `Correct the counts on the Software Only Solution License Migration Worksheet and send it with "[Case ${req.caseNumber}]" in the subject.`;
    if (sso.stationCount !== undefined && sso.stationCount !== stations) {
      findings.push(
        fixableFail(
          'ALT-7',
          `The worksheet gives station_count ${sso.stationCount}, but the keys to move carry ${stations} station licenses.`,
          fix,
        ),
      );
    }
    if (sso.agentSeatCount !== undefined && sso.agentSeatCount !== agents) {
      findings.push(
        fixableFail(
          'ALT-7',
          `The worksheet gives agent_seat_count ${sso.agentSeatCount}, but the keys to move carry ${agents} ACC/ACM agent seats.`,
          fix,
        ),
      );
    }
  }
  if (findings.length === 0 && conversions.length > 0) {
    const parts = conversions.map((c) =>
      c.toSku === c.fromSku
        ? `${c.licenseKey} keeps ${c.fromSku}`
        : `${c.licenseKey} (${c.fromSku}) becomes ${c.toSku}`,
    );
    const plan = `Software-only upgrade: ${listWords(parts)}. Sales will receive a no-charge purchase order for every license moved and will issue the new licenses.`;
    // A pass once the worksheet's counts were checked; until then the plan is only shown.
    findings.push(sso && keysComplete ? pass('ALT-7', plan) : info('ALT-7', plan));
  }
  return { findings, conversions };
}
