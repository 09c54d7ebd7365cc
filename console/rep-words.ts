/**
 * The console in a rep's words: a form's fields by the labels the printed
 * form carries (forms/specs.ts, the blank-form writer's labels), amounts as
 * money, the card as its last four digits, and every time in the rep's own
 * time zone, relative where that helps. Pure: no Redis, no request.
 */
import { FORM_SPECS, isFormId } from '../forms/specs.js';
import { formatMinor } from '../lib/money.js';

/** A rep's time zone: an IANA name (`Europe/Berlin`), a fixed offset (`+05:30`), or UTC. */
export type RepZone = string;

const OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/** Whether `zone` is one the console can show times in. */
export function isZone(zone: string): boolean {
  if (zone === 'UTC') return true;
  const m = OFFSET.exec(zone);
  if (m) return Number(m[2]) <= 14 && Number(m[3]) < 60;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return zone.includes('/');
  } catch {
    return false;
  }
}

const PARTS: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};

/** "Mon 7 Dec 2026, 14:20 CET" in the rep's zone (a fixed offset is named `UTC+05:30`). */
export function timeIn(iso: string, zone: RepZone): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const m = OFFSET.exec(zone);
  if (m) {
    const shift = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
    return `${fmt(new Date(ms + shift), 'UTC', false)} UTC${zone}`;
  }
  return fmt(new Date(ms), isZone(zone) ? zone : 'UTC', true);
}

function fmt(d: Date, timeZone: string, named: boolean): string {
  const parts = new Intl.DateTimeFormat('en-GB', { ...PARTS, timeZone, ...(named ? { timeZoneName: 'short' } : {}) })
    .formatToParts(d)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  const zoneName = named ? ` ${parts.timeZoneName === 'GMT' && timeZone === 'UTC' ? 'UTC' : parts.timeZoneName}` : '';
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute}${zoneName}`;
}

/** "5 h 12 min", "3 days 4 h", "12 min". */
export function span(ms: number): string {
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3600_000);
  const m = Math.floor((abs % 3600_000) / 60_000);
  if (d > 0) return `${d} day${d === 1 ? '' : 's'}${h > 0 ? ` ${h} h` : ''}`;
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

/** "in 5 h 12 min" / "2 days ago" / "just now". */
export function relative(iso: string, now: Date): string {
  const ms = Date.parse(iso) - now.getTime();
  if (Number.isNaN(ms)) return '';
  if (Math.abs(ms) < 60_000) return 'just now';
  return ms > 0 ? `in ${span(ms)}` : `${span(ms)} ago`;
}

/** ISO instants inside free text (a finding's message, an audit reason) put in the rep's zone. */
const ISO_IN_TEXT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})/g;
export function localiseText(text: string, zone: RepZone): string {
  return text.replace(ISO_IN_TEXT, (iso) => timeIn(iso, zone));
}

/** Kept fields that are the reader's own checks or tokens, not anything the partner wrote. */
const NOT_SHOWN = new Set(['formId', 'cardToken', 'cardNumberValid', 'expiryValid']);
/** Kept fields whose form field has another name (what is kept of it differs from what was typed). */
const FORM_FIELD_OF: Record<string, string> = { cardLast4: 'card_number', maxAmountMinor: 'max_amount' };

const snake = (camel: string): string => camel.replace(/[A-Z0-9]+/g, (c) => `_${c.toLowerCase()}`);
const capitalise = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** The label the printed form carries beside this kept field, e.g. "System the licenses go to". */
export function fieldLabel(formId: string, kept: string): string {
  const name = FORM_FIELD_OF[kept] ?? snake(kept);
  const spec = isFormId(formId) ? FORM_SPECS[formId].fields.find((f) => f.name === name) : undefined;
  return spec ? capitalise(spec.label) : capitalise(name.replace(/_/g, ' '));
}

/** A form's title as printed on it ("License Transfer Form"), or its id for a form the desk does not know. */
export const formTitle = (formId: string): string => (isFormId(formId) ? FORM_SPECS[formId].title : formId);

export interface FieldRow {
  label: string;
  value: string;
}

/** One kept field's value in words (money with its currency, the card as "•••• 1111"). */
function valueWords(kept: string, v: unknown, form: Record<string, unknown>): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (kept === 'cardLast4')
    return `•••• ${String(v)}${form.cardNumberValid === false ? ' (the number fails its check digit)' : ''}`;
  if (kept === 'cardExpiry' && form.expiryValid === false) return `${String(v)} (expired or not a date)`;
  if (kept === 'maxAmountMinor' && typeof v === 'number')
    return `${formatMinor(v)}${typeof form.currency === 'string' ? ` ${form.currency}` : ''}`;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v))
    return v.map((x) => (typeof x === 'object' ? Object.values(x as object).join(' ') : String(x))).join(', ');
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k} ${String(x)}`)
      .join(', ');
  return String(v);
}

/** A kept form field by field, labelled as printed; never a token or the card's number. */
export function formRows(formId: string, form: Record<string, unknown>): FieldRow[] {
  return Object.entries(form)
    .filter(([k]) => !NOT_SHOWN.has(k))
    .map(([k, v]) => ({ label: fieldLabel(formId, k), value: valueWords(k, v, form) ?? '—' }));
}
