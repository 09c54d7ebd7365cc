/**
 * The registry file of docs/registry-file.md, validated by zod. Objects are strict:
 * an unknown field is refused with its path rather than silently dropped,
 * because an export must give back exactly what was imported.
 */
import { z } from 'zod';
import { PARTNER_LANGUAGES } from '../mail/i18n/languages.js';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'not a date')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'not a date',
  );
const isoDateTime = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s), 'not a date-time');
const id = z.string().trim().min(1, 'must not be empty');
const currency = z.string().regex(/^[A-Z]{3}$/, 'not a currency code');
const price = z
  .number()
  .nonnegative('must not be negative')
  .refine((n) => Number.isFinite(n) && Math.round(n * 100) === Number((n * 100).toFixed(6)), 'more than two decimals');
const priceList = z.record(currency, price);
const quantityMap = z.record(id, z.number().int('not a whole number').nonnegative('must not be negative'));

export const catalogItemSchema = z.strictObject({
  sku: id,
  kind: id,
  count: z.number().int('not a whole number').positive('must be positive'),
  lifecycle: z.enum(['orderable', 'end-of-sale']),
  listPrice: priceList,
  saYearly: priceList.optional(),
});

export { PARTNER_LANGUAGES, type PartnerLanguage } from '../mail/i18n/languages.js';

const language = z.enum(PARTNER_LANGUAGES, {
  error: (iss) => `${JSON.stringify(iss.input)} is not one of ${PARTNER_LANGUAGES.join(', ')}`,
});

/** An IANA time zone the runtime knows (`Europe/Berlin`, `UTC`). */
export function isTimeZone(s: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(s)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: s });
    return true;
  } catch {
    return false;
  }
}
const timeZone = z.string().refine(isTimeZone, {
  error: (iss) => `${JSON.stringify(iss.input)} is not an IANA time zone (e.g. Europe/Berlin, UTC)`,
});

export const partnerSchema = z.strictObject({
  id,
  name: id,
  currency,
  contacts: z.array(z.string().trim().toLowerCase().email('not an email address')),
  standardDiscountPct: z.number().min(0, 'below 0').max(100, 'above 100'),
  pricingExceptions: z.record(id, price).optional(),
  /** The language of the partner's mail and pages; absent: `en` (kept absent, so an export gives back the import). */
  language: language.optional(),
  /** IANA zone the partner's dates are shown in; absent: `UTC`. */
  timeZone: timeZone.optional(),
});

export const endUserSchema = z.strictObject({ id, name: id, partnerId: id });

export const systemSchema = z.strictObject({
  key: id,
  endUserId: id,
  /** A program id of domain/programs (checked against the desk's programs on import). */
  program: id,
  model: z.string().optional(),
  platform: z.enum(['physical', 'virtual']).optional(),
  registered: z.boolean(),
  saExpiresOn: isoDate.nullable().optional(),
  disabled: z.boolean().optional(),
});

export const licenseSchema = z.strictObject({
  key: id,
  systemKey: id,
  sku: id,
  quantity: z.number().int('not a whole number').positive('must be positive'),
  forfeited: z.boolean().optional(),
});

export const caseSchema = z.strictObject({
  number: z.string().regex(/^\d{4,10}$/, 'not a case number'),
  partnerId: id,
  systemKey: id,
  /** A program id of domain/programs (checked against the desk's programs on import). */
  program: id,
  openedAt: isoDateTime,
  softwareOnlyUpgrade: z.boolean().optional(),
});

export const accountSchema = z.strictObject({
  id,
  partnerId: id,
  parentId: id.nullable(),
  contacts: z.array(z.string().trim().toLowerCase().email('not an email address')),
  linkedAccountIds: z.array(id),
  available: quantityMap,
  deployed: quantityMap,
});

export const poolSchema = z.strictObject({
  id,
  endUserId: id,
  sku: id,
  sessions: z.number().int('not a whole number').nonnegative('must not be negative'),
});

export const installationSchema = z.strictObject({
  machineId: id,
  endUserId: id,
  poolId: id,
  sessions: z.number().int('not a whole number').nonnegative('must not be negative'),
  activatedAt: isoDateTime,
  lastReactivatedAt: isoDateTime.nullable(),
});

/**
 * The registry file with `program` limited to the programs a desk runs: the
 * model itself names no program (domain/programs/index.ts lists them).
 */
export function registrySchemaFor(programIds: readonly string[]) {
  const program = z.enum(programIds as [string, ...string[]]);
  return registrySchema.extend({
    systems: z.array(systemSchema.extend({ program })),
    cases: z.array(caseSchema.extend({ program })),
  });
}

export const registrySchema = z.strictObject({
  catalog: z.array(catalogItemSchema),
  partners: z.array(partnerSchema),
  endUsers: z.array(endUserSchema),
  systems: z.array(systemSchema),
  licenses: z.array(licenseSchema),
  cases: z.array(caseSchema),
  accounts: z.array(accountSchema).optional(),
  pools: z.array(poolSchema).optional(),
  installations: z.array(installationSchema).optional(),
});

/** The schema of one entity of each list an update may carry (cases are opened, never upserted). */
export const ENTITY_SCHEMAS = {
  catalog: catalogItemSchema,
  partners: partnerSchema,
  endUsers: endUserSchema,
  systems: systemSchema,
  licenses: licenseSchema,
  accounts: accountSchema,
  pools: poolSchema,
  installations: installationSchema,
} as const;

export type CatalogItem = z.infer<typeof catalogItemSchema>;
export type Partner = z.infer<typeof partnerSchema>;
export type EndUser = z.infer<typeof endUserSchema>;
export type System = z.infer<typeof systemSchema>;
export type License = z.infer<typeof licenseSchema>;
export type RegistryCase = z.infer<typeof caseSchema>;
export type Account = z.infer<typeof accountSchema>;
export type Pool = z.infer<typeof poolSchema>;
export type Installation = z.infer<typeof installationSchema>;
export type RegistryDocument = z.infer<typeof registrySchema>;

/**
 * What a rule may read: the part of the registry a request touches, as it was
 * when the snapshot was taken. Rules never see Redis.
 */
export interface RegistrySnapshot {
  catalog: ReadonlyMap<string, CatalogItem>;
  partners: ReadonlyMap<string, Partner>;
  endUsers: ReadonlyMap<string, EndUser>;
  /** Systems, with `disabled` reflecting SWAPs done since import. */
  systems: ReadonlyMap<string, System>;
  /** Licenses, with `systemKey` where the license is now. */
  licenses: ReadonlyMap<string, License>;
  cases: ReadonlyMap<string, RegistryCase>;
  accounts: ReadonlyMap<string, Account>;
  pools: ReadonlyMap<string, Pool>;
  installations: ReadonlyMap<string, Installation>;
}

/** Licenses currently on a system, in snapshot order. */
export function licensesOn(snapshot: RegistrySnapshot, systemKey: string): License[] {
  return [...snapshot.licenses.values()].filter((l) => l.systemKey === systemKey && !l.forfeited);
}

export function snapshotOf(doc: RegistryDocument): RegistrySnapshot {
  const by = <T, K extends keyof T>(items: T[] | undefined, key: K) =>
    new Map((items ?? []).map((i) => [String(i[key]), i] as [string, T]));
  return {
    catalog: by(doc.catalog, 'sku'),
    partners: by(doc.partners, 'id'),
    endUsers: by(doc.endUsers, 'id'),
    systems: by(doc.systems, 'key'),
    licenses: by(doc.licenses, 'key'),
    cases: by(doc.cases, 'number'),
    accounts: by(doc.accounts, 'id'),
    pools: by(doc.pools, 'id'),
    installations: by(doc.installations, 'machineId'),
  };
}
