/**
 * DSK-3, when LICENSEDESK_AUTHSERV_ID is set: the sender's From domain must be
 * authenticated by the one mail host the desk trusts, as that host recorded in
 * an RFC 8601 `Authentication-Results` header.
 *
 * Only the topmost header carrying the trusted authserv-id counts. Headers are
 * prepended on the way in, so anything below it (including headers that claim
 * the same authserv-id) was written before the trusted host saw the message,
 * that is, possibly by the sender. Headers of any other authserv-id are never
 * believed.
 */
import { domainToASCII } from 'node:url';
import type { ParsedMail } from 'mailparser';
import { getDomain } from 'tldts';

export interface HeaderField {
  /** Header name, any case (`Authentication-Results`). */
  key: string;
  /** The value after the colon; a whole raw line (`Name: value`, folded or not) is accepted too. */
  value: string;
}

export type AuthMethod = 'dmarc' | 'spf' | 'dkim';

export interface SenderVerdict {
  ok: boolean;
  method?: AuthMethod;
  reason: string;
}

/** One `method=result` of an Authentication-Results header, with its properties. */
export interface AuthResult {
  /** Lower case, without a version (`dkim`, `spf`, `dmarc`, `iprev`, …). */
  method: string;
  /** Lower case (`pass`, `fail`, `softfail`, `none`, …). */
  result: string;
  reason?: string;
  /** `ptype.property` (lower case) → value, e.g. `header.d` → `acme.example`. The first of a repeated property wins. */
  props: Record<string, string>;
}

export interface ParsedAuthenticationResults {
  /** Lower case, without a trailing dot; `undefined` when the header has none (e.g. Exchange Online's). */
  authservId?: string;
  version?: number;
  /** Empty for `none`. */
  results: AuthResult[];
}

const HEADER = 'authentication-results';

/**
 * The message's header fields in order, top first, as `senderAuthentication`
 * takes them (from mailparser's `headerLines`, which keep repeats and order).
 */
export function headerFields(mail: Pick<ParsedMail, 'headerLines'>): HeaderField[] {
  return mail.headerLines.map((h) => ({ key: h.key, value: stripName(h.line, h.key) }));
}

/** `Name: value` → `value`, when the line starts with that header name. */
function stripName(line: string, name: string): string {
  const m = /^\s*([!-9;-~]+)[ \t]*:/.exec(line);
  return m && m[1]!.toLowerCase() === name.toLowerCase() ? line.slice(m[0].length) : line;
}

/** Unfolds and removes comments (nested, with quoted-pairs) outside quoted strings. */
function clean(value: string): string {
  const s = value.replace(/\r?\n(?=[ \t])/g, '').replace(/[\r\n]/g, ' ');
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (depth > 0) {
      if (c === '\\') i++;
      else if (c === '(') depth++;
      else if (c === ')') {
        depth--;
        if (depth === 0) out += ' ';
      }
      continue;
    }
    if (quoted) {
      out += c;
      if (c === '\\' && i + 1 < s.length) out += s[++i];
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') {
      quoted = true;
      out += c;
      continue;
    }
    if (c === '(') {
      depth = 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** Splits at `;` outside quoted strings. */
function splitSemicolons(s: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      cur += c;
      if (c === '\\' && i + 1 < s.length) cur += s[++i];
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
      cur += c;
    } else if (c === ';') {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

function unquote(v: string): string {
  return v.startsWith('"') ? v.slice(1, v.endsWith('"') && v.length > 1 ? -1 : undefined).replace(/\\(.)/g, '$1') : v;
}

/** Reads a leading value (token or quoted string) of `s`, returning it and the rest. */
function readValue(s: string): [string, string] {
  const t = s.trimStart();
  if (t.startsWith('"')) {
    let i = 1;
    for (; i < t.length && t[i] !== '"'; i++) if (t[i] === '\\') i++;
    return [unquote(t.slice(0, i + 1)), t.slice(i + 1)];
  }
  const m = /^\S*/.exec(t)!;
  return [m[0], t.slice(m[0].length)];
}

/** `key [/ version] = value` pairs of one resinfo, in order. Malformed words are skipped. */
function pairs(seg: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let rest = seg;
  for (;;) {
    rest = rest.trimStart();
    if (!rest) return out;
    const m = /^([A-Za-z0-9_.-]+)(?:\s*\/\s*\d+)?\s*=\s*/.exec(rest);
    if (!m) {
      // Not a pair: skip one token (or quoted string) and go on.
      rest = readValue(rest)[1];
      continue;
    }
    const [value, after] = readValue(rest.slice(m[0].length));
    out.push([m[1]!.toLowerCase(), value]);
    rest = after;
  }
}

/** Parses one Authentication-Results value (RFC 8601 §2.2, lenient). */
export function parseAuthenticationResults(value: string): ParsedAuthenticationResults {
  const segments = splitSemicolons(clean(stripName(value, HEADER)));
  const head = (segments.shift() ?? '').trim();
  const parsed: ParsedAuthenticationResults = { results: [] };
  if (head && !/=/.test(head)) {
    const [id, rest] = readValue(head);
    parsed.authservId = normaliseId(id);
    const version = /^\s*(\d+)\s*$/.exec(rest);
    if (version) parsed.version = Number(version[1]);
  } else if (head) {
    // No authserv-id (Exchange Online writes these): the first segment is a result.
    segments.unshift(head);
  }
  for (const seg of segments) {
    if (/^\s*none\s*$/i.test(seg)) continue;
    const kv = pairs(seg);
    const first = kv.shift();
    if (!first) continue;
    const result: AuthResult = { method: first[0], result: first[1].toLowerCase(), props: {} };
    for (const [k, v] of kv) {
      if (k === 'reason' && result.reason === undefined) result.reason = v;
      else if (k.includes('.') && !(k in result.props)) result.props[k] = v;
    }
    parsed.results.push(result);
  }
  return parsed;
}

function normaliseId(id: string): string {
  return id.trim().toLowerCase().replace(/\.$/, '');
}

/** Lower-case ASCII (punycode) domain without a trailing dot; '' when unusable. */
function normaliseDomain(d: string): string {
  const bare = d.trim().replace(/^.*@/, '').replace(/\.$/, '').toLowerCase();
  if (!bare) return '';
  return domainToASCII(bare) || bare;
}

/**
 * The organisational domain (RFC 7489 §3.2): one label below the longest
 * public suffix, private suffixes included, so `foo.github.io` is its own
 * organisation and not `github.io`'s. `undefined` for a public suffix itself or
 * an address literal.
 */
function organisationalDomain(domain: string): string | undefined {
  return getDomain(domain, { allowPrivateDomains: true }) ?? undefined;
}

/**
 * DMARC relaxed alignment (RFC 7489 §3.1): equal, or the same organisational
 * domain by the Public Suffix List. Sibling subdomains of one organisation
 * align; two registrations under one public suffix (`example.co.uk`,
 * `evil.co.uk`; `foo.github.io`, `bar.github.io`) never do.
 */
export function relaxedAligned(a: string, b: string): boolean {
  const x = normaliseDomain(a);
  const y = normaliseDomain(b);
  if (!x || !y) return false;
  if (x === y) return true;
  const org = organisationalDomain(x);
  return org !== undefined && org === organisationalDomain(y);
}

function describe(r: AuthResult): string {
  const domain = r.props['header.from'] ?? r.props['smtp.mailfrom'] ?? r.props['header.d'] ?? r.props['header.i'];
  return domain ? `${r.method}=${r.result} for ${normaliseDomain(domain) || domain}` : `${r.method}=${r.result}`;
}

/**
 * The DSK-3 sender verdict from the trusted host's Authentication-Results.
 * `headers` are the message's raw header fields in order, top first.
 */
export function senderAuthentication(
  headers: ReadonlyArray<HeaderField>,
  opts: { authservId: string; fromAddress: string },
): SenderVerdict {
  const trusted = normaliseId(opts.authservId);
  const fromDomain = opts.fromAddress.includes('@') ? normaliseDomain(opts.fromAddress) : '';
  if (!fromDomain) return { ok: false, reason: 'no From address to authenticate' };

  const header = headers
    .filter((h) => h.key.trim().toLowerCase() === HEADER)
    .map((h) => parseAuthenticationResults(h.value))
    .find((p) => p.authservId === trusted);
  if (!header) return { ok: false, reason: `no Authentication-Results from ${trusted}` };
  const results = header.results;
  if (results.length === 0) return { ok: false, reason: `${trusted} checked nothing (none) for ${fromDomain}` };

  const ofMethod = (m: AuthMethod) => results.filter((r) => r.method === m);

  // DMARC is the verdict on the From domain itself: a pass counts when it is
  // about this From domain, and a failure for this domain is final.
  const dmarc = ofMethod('dmarc').filter((r) => normaliseDomain(r.props['header.from'] ?? '') === fromDomain);
  if (dmarc.some((r) => r.result === 'pass'))
    return { ok: true, method: 'dmarc', reason: `dmarc=pass for ${fromDomain}` };
  const dmarcFail = dmarc.find((r) => r.result === 'fail');
  if (dmarcFail) return { ok: false, reason: `dmarc=fail for ${fromDomain}` };

  const spf = ofMethod('spf').find(
    (r) => r.result === 'pass' && relaxedAligned(r.props['smtp.mailfrom'] ?? r.props['smtp.mfrom'] ?? '', fromDomain),
  );
  if (spf)
    return {
      ok: true,
      method: 'spf',
      reason: `spf=pass for ${normaliseDomain(spf.props['smtp.mailfrom'] ?? spf.props['smtp.mfrom']!)}, aligned with ${fromDomain}`,
    };

  const dkim = ofMethod('dkim').find(
    (r) =>
      r.result === 'pass' &&
      (relaxedAligned(r.props['header.d'] ?? '', fromDomain) || relaxedAligned(r.props['header.i'] ?? '', fromDomain)),
  );
  if (dkim)
    return {
      ok: true,
      method: 'dkim',
      reason: `dkim=pass for ${normaliseDomain(dkim.props['header.d'] ?? dkim.props['header.i']!)}, aligned with ${fromDomain}`,
    };

  const seen = results.filter((r) => ['dmarc', 'spf', 'dkim'].includes(r.method)).map(describe);
  return {
    ok: false,
    reason: `no passing dmarc, spf or dkim result for ${fromDomain} from ${trusted}${seen.length ? ` (${seen.join(', ')})` : ''}`,
  };
}
