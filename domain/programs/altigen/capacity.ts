/**
 * ALT-5: station licenses on the target after the move: at most 50 on a
 * Max1000, at most 100 on a Max1000R or Max2000. The registry's model of the
 * target decides; a software-only upgrade is not limited by a chassis.
 */
import { licensesOn, type License, type RegistrySnapshot } from '../../registry-model.js';
import { finalFail, hold, info, pass, type Finding } from '../../finding.js';
import { catalogItem, kindOf, listWords, seatsOf } from './lookup.js';
import type { AltigenRequest, PlannedMove } from './request.js';
import { targetSystem } from './target.js';

const normalModel = (m: string): string => m.toLowerCase().replace(/[\s_-]+/g, '');

/** Station limits by chassis model. */
export const STATION_LIMITS: Readonly<Record<string, number>> = { Max1000: 50, Max1000R: 100, Max2000: 100 };

/** The station limit of a chassis model, undefined when the model has none. */
export function stationLimit(model: string | undefined): number | undefined {
  if (!model) return undefined;
  const want = normalModel(model);
  const hit = Object.entries(STATION_LIMITS).find(([m]) => normalModel(m) === want);
  return hit?.[1];
}

interface Count {
  stations: number;
  unknownSkus: string[];
}

function countStations(snap: RegistrySnapshot, items: readonly { sku: string; quantity: number }[]): Count {
  let stations = 0;
  const unknownSkus: string[] = [];
  for (const l of items) {
    const item = catalogItem(snap, l.sku);
    if (!item) {
      if (!unknownSkus.includes(l.sku)) unknownSkus.push(l.sku);
      continue;
    }
    if (kindOf(item) === 'station') stations += seatsOf(l, item);
  }
  return { stations, unknownSkus };
}

/**
 * ALT-5. Over the limit is an unfixable fail. The form's to_chassis_model
 * disagreeing with the registry is held for a rep; unknown products on the
 * target are held too (they cannot be counted). Other models: info, no limit.
 * No finding while the License Transfer Form or the target system is missing.
 */
export function checkCapacity(
  req: AltigenRequest,
  snap: RegistrySnapshot,
  moves: readonly PlannedMove[],
  softwareOnly: boolean,
): Finding[] {
  const ltf = req.forms['license-transfer/v1'];
  const target = targetSystem(req, snap);
  if (!ltf || !target) return [];
  const moved = new Set(moves.map((m) => m.licenseKey));
  const already: License[] = licensesOn(snap, target.key).filter((l) => !moved.has(l.key));
  const before = countStations(snap, already);
  const adding = countStations(snap, moves);
  const total = before.stations + adding.stations;
  if (softwareOnly) {
    return [
      pass(
        'ALT-5',
        `This is an upgrade to a software-only solution, so no chassis limit applies to system ${target.key} (${total} station licenses after the move).`,
      ),
    ];
  }
  const findings: Finding[] = [];
  const model = target.model;
  if (ltf.toChassisModel && (!model || normalModel(ltf.toChassisModel) !== normalModel(model))) {
    findings.push(
      hold(
        'ALT-5',
        `The License Transfer Form gives the model of system ${target.key} as ${ltf.toChassisModel}, but our records show ${model ?? 'no model'}. A rep will confirm the chassis before the move.`,
      ),
    );
  }
  const unknown = [...new Set([...before.unknownSkus, ...adding.unknownSkus])];
  if (unknown.length > 0) {
    findings.push(
      hold(
        'ALT-5',
        `We cannot count the station licenses on system ${target.key} after the move: product${unknown.length === 1 ? '' : 's'} ${listWords(unknown)} ${unknown.length === 1 ? 'is' : 'are'} not in our catalog. A rep will check the count.`,
      ),
    );
  }
  const limit = stationLimit(model);
  const detail = `${before.stations} already on it plus ${adding.stations} moved`;
  if (limit === undefined) {
    findings.push(
      info(
        'ALT-5',
        `System ${target.key} is ${model ? `a ${model}` : 'of no recorded model'}; the station limit applies only to Max1000 (50), Max1000R and Max2000 (100) chassis. After the move it carries ${total} station licenses (${detail}).`,
      ),
    );
  } else if (total > limit) {
    findings.push(
      finalFail(
        'ALT-5',
        `After the move, system ${target.key} (${model}) would carry ${total} station licenses (${detail}). A ${model} chassis takes no more than ${limit} station licenses.`,
      ),
    );
  } else {
    findings.push(
      pass(
        'ALT-5',
        `After the move, system ${target.key} (${model}) carries ${total} station licenses (${detail}), within the ${limit} a ${model} chassis takes.`,
      ),
    );
  }
  return findings;
}
