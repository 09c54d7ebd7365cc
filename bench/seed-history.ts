/**
 * A desk with a past: `licenses` more licenses in the registry (each on its
 * own system, with a registry case that moved it) spread over 1,000 partners
 * (the bench's own partners among them, so their snapshots grow too), and as
 * many past cases in the case store, written through the store's own commit
 * script (CaseStore.commit, commitCase-17.lua) as `closed` cases, so they sit
 * in the case list, the per-state index and the audit stream as real ones do.
 */
import { altigen } from '../domain/programs/altigen/program.js';
import { newCaseDoc } from '../domain/case-doc.js';
import type { RegistryDocument } from '../domain/registry-model.js';
import type { DeskContext } from '../workers/desk/context.js';
import { day } from './bench-fixture.js';

export const HISTORY_BASE = 700000;
const HISTORY_PARTNERS = 1000;

/** Adds the past's partners, end users, systems, licenses and registry cases to a bench registry (in place). */
export function addHistoryToRegistry(doc: RegistryDocument, licenses: number): void {
  const have = new Set(doc.partners.map((p) => p.id));
  for (let p = 0; p < HISTORY_PARTNERS; p++) {
    if (have.has(`P-${p}`)) continue;
    doc.partners.push({
      id: `P-${p}`,
      name: `Partner ${p}`,
      currency: 'USD',
      contacts: [`ops@p${p}.example`],
      standardDiscountPct: 10,
    });
    doc.endUsers.push({ id: `EU-${p}`, name: `End user ${p}`, partnerId: `P-${p}` });
  }
  const openedAt = new Date(Date.now() - 200 * 86_400_000).toISOString();
  for (let j = 0; j < licenses; j++) {
    const p = j % HISTORY_PARTNERS;
    doc.systems.push({
      key: `H-${j}-A`,
      endUserId: `EU-${p}`,
      program: altigen.id,
      model: 'Max1000',
      platform: 'physical',
      registered: true,
      saExpiresOn: day(-30),
    });
    doc.systems.push({
      key: `H-${j}-B`,
      endUserId: `EU-${p}`,
      program: altigen.id,
      model: 'Max2000',
      platform: 'physical',
      registered: true,
      saExpiresOn: day(300),
    });
    doc.licenses.push({ key: `HK-${j}`, systemKey: `H-${j}-B`, sku: 'ALTI-STATION-10', quantity: 1 });
    doc.cases.push({
      number: String(HISTORY_BASE + j),
      partnerId: `P-${p}`,
      systemKey: `H-${j}-B`,
      program: altigen.id,
      openedAt,
    });
  }
}

/** Writes `count` closed past cases through the store's commit script, `parallel` at a time. */
export async function seedPastCases(ctx: DeskContext, count: number, parallel = 64): Promise<void> {
  const at = new Date(Date.now() - 100 * 86_400_000);
  let next = 0;
  const one = async (j: number) => {
    const number = String(HISTORY_BASE + j);
    const p = j % HISTORY_PARTNERS;
    const doc = newCaseDoc({ number, program: altigen.id, partnerId: `P-${p}`, systemKey: `H-${j}-B`, at });
    doc.state = 'closed';
    doc.cycle = 1;
    doc.completeAt = doc.receivedAt;
    doc.transferredAt = doc.receivedAt;
    doc.decision = { outcome: 'move', at: doc.receivedAt, by: 'review' };
    doc.moves = [{ licenseKey: `HK-${j}`, from: `H-${j}-A`, to: `H-${j}-B`, sku: 'ALTI-STATION-10', quantity: 1 }];
    doc.messages = [
      {
        id: `past${j}`,
        from: `ops@p${p}.example`,
        subject: `Case ${number}`,
        receivedAt: doc.receivedAt,
        attachments: ['lt.pdf', 'cc.pdf'],
      },
    ];
    doc.card = { last4: '1111', token: `past-${j}`, expiry: '12/39', maxAmount: '5000.00', currency: 'USD' };
    const res = await ctx.cases.commit({
      doc,
      expectedVersion: 0,
      audit: [
        { at: doc.receivedAt, actor: 'transfer', action: 'license-moved', reason: `HK-${j}: H-${j}-A -> H-${j}-B` },
        { at: doc.receivedAt, actor: 'bench', action: 'closed', to: 'closed', reason: 'a past case' },
      ],
    });
    if (!res.ok) throw new Error(`seeding past case ${number}: ${JSON.stringify(res)}`);
  };
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let j = next++; j < count; j = next++) await one(j);
    }),
  );
}
