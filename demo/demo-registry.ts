/**
 * The demo's registry, dated from "today" so that SA dates stay meaningful
 * whenever the demo runs.
 */
import type { RegistryDocument } from '../registry/schema.js';

const day = (today: Date, offsetDays: number) => new Date(today.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

export const DEMO_CONTACT = 'ops@acme.example';

export function demoRegistry(today: Date): RegistryDocument {
  return {
    catalog: [
      { sku: 'ALTI-STATION-10', kind: 'station', count: 10, lifecycle: 'orderable', listPrice: { USD: 1500 }, saYearly: { USD: 150 } },
      { sku: 'ALTI-ACM-AGENT-5', kind: 'agent', count: 5, lifecycle: 'orderable', listPrice: { USD: 2000 }, saYearly: { USD: 200 } },
    ],
    partners: [
      { id: 'P-100', name: 'Acme Telecom', currency: 'USD', contacts: [DEMO_CONTACT], standardDiscountPct: 20, pricingExceptions: { 'ALTI-STATION-10': 900 } },
    ],
    endUsers: [
      { id: 'EU-1', name: 'Globex', partnerId: 'P-100' },
      { id: 'EU-2', name: 'Initech', partnerId: 'P-100' },
    ],
    systems: [
      { key: 'SYS-0001', endUserId: 'EU-1', program: 'altigen', model: 'Max1000', platform: 'physical', registered: true, saExpiresOn: day(today, -73) },
      { key: 'SYS-0002', endUserId: 'EU-1', program: 'altigen', model: 'Max2000', platform: 'physical', registered: true, saExpiresOn: day(today, 292) },
      { key: 'SYS-0003', endUserId: 'EU-1', program: 'altigen', model: 'Max1000', platform: 'physical', registered: true, saExpiresOn: day(today, 200) },
      { key: 'SYS-0101', endUserId: 'EU-2', program: 'altigen', model: 'Max1000', platform: 'physical', registered: true, saExpiresOn: day(today, 100) },
    ],
    licenses: [
      { key: 'LK-7F3A-0001', systemKey: 'SYS-0001', sku: 'ALTI-STATION-10', quantity: 1 },
      { key: 'LK-7F3A-0002', systemKey: 'SYS-0001', sku: 'ALTI-ACM-AGENT-5', quantity: 1 },
      { key: 'LK-7F3A-0003', systemKey: 'SYS-0001', sku: 'ALTI-STATION-10', quantity: 2 },
    ],
    cases: [
      { number: '100001', partnerId: 'P-100', systemKey: 'SYS-0002', program: 'altigen', openedAt: today.toISOString() },
      { number: '100002', partnerId: 'P-100', systemKey: 'SYS-0003', program: 'altigen', openedAt: today.toISOString() },
      { number: '100003', partnerId: 'P-100', systemKey: 'SYS-0101', program: 'altigen', openedAt: today.toISOString() },
    ],
  };
}
