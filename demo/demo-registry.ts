/**
 * The demo's registry, dated from "today" so that SA dates stay meaningful
 * whenever the demo runs.
 */
import type { RegistryDocument } from '../domain/registry-model.js';

const day = (today: Date, offsetDays: number) =>
  new Date(today.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

export const DEMO_CONTACT = 'ops@acme.example';
export const DEMO_SWAP_CONTACT = 'ops@comms.example';
export const DEMO_LVX_CONTACT = 'lic@reseller.example';
export const DEMO_AUD_CONTACT = 'ops@voice.example';

export function demoRegistry(today: Date): RegistryDocument {
  return {
    catalog: [
      {
        sku: 'ALTI-STATION-10',
        kind: 'station',
        count: 10,
        lifecycle: 'orderable',
        listPrice: { USD: 1500 },
        saYearly: { USD: 150 },
      },
      {
        sku: 'ALTI-ACM-AGENT-5',
        kind: 'agent',
        count: 5,
        lifecycle: 'orderable',
        listPrice: { USD: 2000 },
        saYearly: { USD: 200 },
      },
      {
        sku: 'IPO-R11-ESS-EDITION',
        kind: 'edition',
        count: 1,
        lifecycle: 'orderable',
        listPrice: { GBP: 200, EUR: 230 },
      },
      { sku: 'AUD-STUDIO', kind: 'seat', count: 1, lifecycle: 'orderable', listPrice: { USD: 5000 } },
      { sku: 'AUD-CS-SESSIONS', kind: 'session', count: 1, lifecycle: 'orderable', listPrice: { USD: 100 } },
    ],
    partners: [
      {
        id: 'P-100',
        name: 'Acme Telecom',
        currency: 'USD',
        contacts: [DEMO_CONTACT],
        standardDiscountPct: 20,
        pricingExceptions: { 'ALTI-STATION-10': 900 },
      },
      { id: 'P-400', name: 'Comms Ltd', currency: 'GBP', contacts: [DEMO_SWAP_CONTACT], standardDiscountPct: 20 },
      { id: 'P-300', name: 'Speech Reseller', currency: 'USD', contacts: [DEMO_LVX_CONTACT], standardDiscountPct: 0 },
      { id: 'P-500', name: 'Voice Apps', currency: 'USD', contacts: [DEMO_AUD_CONTACT], standardDiscountPct: 0 },
    ],
    endUsers: [
      { id: 'EU-1', name: 'Globex', partnerId: 'P-100' },
      { id: 'EU-2', name: 'Initech', partnerId: 'P-100' },
      { id: 'EU-40', name: 'Fabrikam', partnerId: 'P-400' },
      { id: 'EU-30', name: 'Speech Co', partnerId: 'P-300' },
      { id: 'EU-50', name: 'Contoso', partnerId: 'P-500' },
    ],
    systems: [
      {
        key: 'SYS-0001',
        endUserId: 'EU-1',
        program: 'altigen',
        model: 'Max1000',
        platform: 'physical',
        registered: true,
        saExpiresOn: day(today, -73),
      },
      {
        key: 'SYS-0002',
        endUserId: 'EU-1',
        program: 'altigen',
        model: 'Max2000',
        platform: 'physical',
        registered: true,
        saExpiresOn: day(today, 292),
      },
      {
        key: 'SYS-0003',
        endUserId: 'EU-1',
        program: 'altigen',
        model: 'Max1000',
        platform: 'physical',
        registered: true,
        saExpiresOn: day(today, 200),
      },
      {
        key: 'SYS-0101',
        endUserId: 'EU-2',
        program: 'altigen',
        model: 'Max1000',
        platform: 'physical',
        registered: true,
        saExpiresOn: day(today, 100),
      },
      {
        key: 'FK-1001-2002',
        endUserId: 'EU-40',
        program: 'avaya-swap',
        model: 'IP500V2',
        platform: 'physical',
        registered: true,
      },
      {
        key: 'FK-3003-4004',
        endUserId: 'EU-40',
        program: 'avaya-swap',
        model: 'IPO-VIRTUAL',
        platform: 'virtual',
        registered: true,
      },
      { key: 'LVX-SITE-1', endUserId: 'EU-30', program: 'lumenvox', registered: true },
      { key: 'M-0001', endUserId: 'EU-50', program: 'audium', registered: true },
      { key: 'M-0002', endUserId: 'EU-50', program: 'audium', registered: true },
    ],
    licenses: [
      { key: 'LK-7F3A-0001', systemKey: 'SYS-0001', sku: 'ALTI-STATION-10', quantity: 1 },
      { key: 'LK-7F3A-0002', systemKey: 'SYS-0001', sku: 'ALTI-ACM-AGENT-5', quantity: 1 },
      { key: 'LK-7F3A-0003', systemKey: 'SYS-0001', sku: 'ALTI-STATION-10', quantity: 2 },
      { key: 'LS-0001', systemKey: 'FK-1001-2002', sku: 'IPO-R11-ESS-EDITION', quantity: 2 },
      { key: 'LA-0001', systemKey: 'M-0001', sku: 'AUD-STUDIO', quantity: 1 },
    ],
    cases: [
      {
        number: '100001',
        partnerId: 'P-100',
        systemKey: 'SYS-0002',
        program: 'altigen',
        openedAt: today.toISOString(),
      },
      {
        number: '100002',
        partnerId: 'P-100',
        systemKey: 'SYS-0003',
        program: 'altigen',
        openedAt: today.toISOString(),
      },
      {
        number: '100003',
        partnerId: 'P-100',
        systemKey: 'SYS-0101',
        program: 'altigen',
        openedAt: today.toISOString(),
      },
      {
        number: '100004',
        partnerId: 'P-400',
        systemKey: 'FK-3003-4004',
        program: 'avaya-swap',
        openedAt: today.toISOString(),
      },
      {
        number: '100005',
        partnerId: 'P-300',
        systemKey: 'LVX-SITE-1',
        program: 'lumenvox',
        openedAt: today.toISOString(),
      },
      { number: '100006', partnerId: 'P-500', systemKey: 'M-0002', program: 'audium', openedAt: today.toISOString() },
    ],
    accounts: [
      {
        id: 'LV-RES-1',
        partnerId: 'P-300',
        parentId: null,
        contacts: [DEMO_LVX_CONTACT],
        linkedAccountIds: [],
        available: { 'LV-ASR-PORT': 10 },
        deployed: { 'LV-ASR-PORT': 2 },
      },
      {
        id: 'LV-EU-9',
        partnerId: 'P-300',
        parentId: 'LV-RES-1',
        contacts: ['it@enduser.example'],
        linkedAccountIds: [],
        available: {},
        deployed: {},
      },
    ],
    pools: [{ id: 'CS-POOL-1', endUserId: 'EU-50', sku: 'AUD-CS-SESSIONS', sessions: 100 }],
    installations: [
      {
        machineId: 'M-0001',
        endUserId: 'EU-50',
        poolId: 'CS-POOL-1',
        sessions: 10,
        activatedAt: today.toISOString(),
        lastReactivatedAt: null,
      },
    ],
  };
}
