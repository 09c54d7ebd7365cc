/**
 * Every error code the desk raises or mails, in one catalogue (modelled on
 * Fastify's lib/errors.js): its message template (`%s` placeholders, filled
 * with node's util.format), the CLI's exit code and the console's and the API's HTTP
 * status. docs/errors.md's table lists exactly these codes (a unit test
 * checks it), and call sites name a code only through this file: `errors.X(…)`
 * for a thrown DeskError, `CODES.X` where a code travels as data (a mailed
 * reason for an unreadable PDF, a domain result).
 */
import { format } from 'node:util';

interface ErrorSpec {
  /** The text after `CODE: `; each `%s` takes one argument. */
  readonly message: string;
  /** What `licensedesk` exits with (README: 1 is a user error). */
  readonly exitCode: number;
  /** What the console's JSON API answers with. */
  readonly httpStatus: number;
}

export const ERROR_CATALOGUE = {
  E_CONFIG_INVALID: { message: '%s', exitCode: 1, httpStatus: 500 },
  E_REGISTRY_INVALID: { message: '%s', exitCode: 1, httpStatus: 422 },
  E_REGISTRY_STALE: {
    message: 'the file would undo changes the desk made since the last import; nothing was changed\n%s',
    exitCode: 1,
    httpStatus: 409,
  },
  E_REGISTRY_CONFLICT: { message: '%s', exitCode: 1, httpStatus: 409 },
  E_SYSTEM_UNKNOWN: { message: 'no system %s in the registry', exitCode: 1, httpStatus: 422 },
  E_SYSTEM_DISABLED: { message: 'system %s is disabled; no licenses can move to it', exitCode: 1, httpStatus: 422 },
  E_CASE_PARTNER: { message: 'system %s does not belong to an end user of partner %s', exitCode: 1, httpStatus: 422 },
  E_CASE_EXISTS: { message: 'there is already a case %s', exitCode: 1, httpStatus: 409 },
  E_TOKEN_MISSING: {
    message: 'this request needs an API token (Authorization: Bearer …)',
    exitCode: 1,
    httpStatus: 401,
  },
  E_TOKEN_SCOPE: { message: 'the token has no scope %s', exitCode: 1, httpStatus: 403 },
  E_TOKEN_EXISTS: { message: 'there is already a token %s (remove it first)', exitCode: 1, httpStatus: 409 },
  E_RATE_LIMITED: { message: 'too many requests; try again in %s', exitCode: 1, httpStatus: 429 },
  E_NOT_FOUND: { message: '%s', exitCode: 1, httpStatus: 404 },
  E_WEBHOOK_URL: { message: '%s', exitCode: 1, httpStatus: 400 },
  E_WEBHOOK_NOT_FOUND: { message: 'no webhook endpoint %s', exitCode: 1, httpStatus: 404 },
  E_CASE_NOT_FOUND: { message: 'no case %s at this desk', exitCode: 1, httpStatus: 404 },
  E_FEE_STATE: { message: 'case %s: %s', exitCode: 1, httpStatus: 409 },
  E_CARD_GONE: {
    message: 'case %s: no card form is kept any more (it has served or its keep period ended)',
    exitCode: 1,
    httpStatus: 410,
  },
  E_REAUTH: { message: 'the password was not right; the card is shown only after it', exitCode: 1, httpStatus: 401 },
  E_CARD_REVEAL_LIMIT: { message: 'too many card reveals by %s; try again later', exitCode: 1, httpStatus: 429 },
  E_CASE_STATE: {
    message: 'case %s is %s; only a held case can be approved or rejected',
    exitCode: 1,
    httpStatus: 409,
  },
  E_CASE_CONFLICT: { message: '%s kept changing; try again', exitCode: 1, httpStatus: 409 },
  E_CASE_CHANGED: {
    message: 'case %s changed since the page was drawn (version %s, now %s); nothing was done',
    exitCode: 1,
    httpStatus: 409,
  },
  E_JOB_NOT_FOUND: { message: '%s', exitCode: 1, httpStatus: 404 },
  E_USAGE: { message: '%s', exitCode: 1, httpStatus: 400 },
  E_DEMO_SETUP: { message: 'could not install %s; run scripts/install-deps.sh as root', exitCode: 1, httpStatus: 500 },
  E_KEY_UNKNOWN: {
    message: 'no key %s in the registry or in any key follow-up',
    exitCode: 1,
    httpStatus: 404,
  },
  E_POOL_EXHAUSTED: { message: '%s', exitCode: 1, httpStatus: 409 },
  E_POOL_UNKNOWN: { message: '%s', exitCode: 1, httpStatus: 404 },
  E_MACHINE_UNKNOWN: { message: '%s', exitCode: 1, httpStatus: 404 },
  E_PARSE_CHILD_KILLED: {
    message: 'a parse child was SIGKILLed from outside twice with the same input (%s); the job is tried again later',
    exitCode: 1,
    httpStatus: 503,
  },
  E_INTAKE_UNFINISHED: {
    message: 'intake did not finish after %s tries; release the message to try again',
    exitCode: 1,
    httpStatus: 500,
  },
  E_MESSAGE_NOT_QUARANTINED: {
    message: 'no quarantined message %s (see `licensedesk quarantine list`)',
    exitCode: 1,
    httpStatus: 404,
  },
  E_USER_EXISTS: {
    message: 'there is already an account %s (see `licensedesk user passwd`)',
    exitCode: 1,
    httpStatus: 409,
  },
  E_USER_NOT_FOUND: { message: 'no account %s (see `licensedesk user list`)', exitCode: 1, httpStatus: 404 },
  E_PASSWORD_WEAK: { message: 'a password needs %s', exitCode: 1, httpStatus: 400 },
  E_MONEY_INVALID: { message: '%s', exitCode: 1, httpStatus: 500 },
  E_TLS_REQUIRED: {
    message:
      '%s did not start TLS (%s), and a plain %s URL requires STARTTLS, so nothing was sent to it in clear: give the server TLS, or add ?tls=optional to %s to allow plaintext',
    exitCode: 1,
    httpStatus: 502,
  },
  E_INTERNAL: { message: '%s', exitCode: 1, httpStatus: 500 },
  // Mailed to partners (DSK-6): why an attachment could not be read.
  E_MAIL_WINMAIL: {
    message:
      'this is a winmail.dat (Outlook rich text) attachment, which hides the PDFs inside it; send the PDF forms as plain attachments',
    exitCode: 1,
    httpStatus: 422,
  },
  // Mailed to partners and quarantine reasons: a mail that could not be parsed within its budget (mail/mail-lite.ts).
  E_MAIL_TIMEOUT: { message: '%s', exitCode: 1, httpStatus: 422 },
  E_MAIL_TOO_LARGE: { message: '%s', exitCode: 1, httpStatus: 413 },
  E_MAIL_UNREADABLE: { message: '%s', exitCode: 1, httpStatus: 422 },
  E_PDF_CORRUPT: { message: '%s', exitCode: 1, httpStatus: 422 },
  E_PDF_ENCRYPTED: { message: '%s', exitCode: 1, httpStatus: 422 },
  E_PDF_FLATTENED: { message: '%s', exitCode: 1, httpStatus: 422 },
  E_PDF_XFA: { message: '%s', exitCode: 1, httpStatus: 422 },
  E_PDF_UNKNOWN_FORM: { message: '%s', exitCode: 1, httpStatus: 422 },
  E_PDF_TOO_LARGE: { message: '%s', exitCode: 1, httpStatus: 413 },
  E_PDF_TIMEOUT: { message: '%s', exitCode: 1, httpStatus: 422 },
  // A page on paper the desk could not place: no code, no corner marks, or not one of its forms (DSK-9).
  E_PDF_UNPLACED: { message: '%s', exitCode: 1, httpStatus: 422 },
} as const satisfies Record<`E_${string}`, ErrorSpec>;

type Catalogue = typeof ERROR_CATALOGUE;
export type ErrorCode = keyof Catalogue;

/** The arguments a template takes: one per `%s`. */
type TemplateArgs<S extends string, A extends unknown[] = []> = S extends `${string}%s${infer Rest}`
  ? TemplateArgs<Rest, [...A, string | number]>
  : A;
export type ErrorArgs<C extends ErrorCode> = TemplateArgs<Catalogue[C]['message']>;

/** Every code as its own value: `CODES.E_PDF_CORRUPT === 'E_PDF_CORRUPT'`. */
export const CODES = Object.fromEntries(Object.keys(ERROR_CATALOGUE).map((c) => [c, c])) as {
  readonly [C in ErrorCode]: C;
};

export const isErrorCode = (s: string): s is ErrorCode => Object.hasOwn(ERROR_CATALOGUE, s);

/** The catalogue's text for a code and its arguments, without the `CODE: ` prefix. */
export function errorText<C extends ErrorCode>(code: C, ...args: ErrorArgs<C>): string {
  return format(ERROR_CATALOGUE[code].message, ...args);
}

export class DeskError<C extends ErrorCode = ErrorCode> extends Error {
  readonly exitCode: number;
  readonly httpStatus: number;

  /** `new DeskError('E_CASE_NOT_FOUND', ['123456'])`; `details` lists every problem (registry, configuration). */
  constructor(
    readonly code: C,
    args: ErrorArgs<C>,
    readonly details: string[] = [],
  ) {
    super(`${code}: ${errorText(code, ...args)}`);
    this.name = 'DeskError';
    this.exitCode = ERROR_CATALOGUE[code].exitCode;
    this.httpStatus = ERROR_CATALOGUE[code].httpStatus;
  }
}

/** `errors.E_CASE_NOT_FOUND('123456')`: a DeskError from the catalogue. */
export const errors = Object.fromEntries(
  (Object.keys(ERROR_CATALOGUE) as ErrorCode[]).map((c) => [
    c,
    (...args: unknown[]) => new DeskError(c, args as never),
  ]),
) as { readonly [C in ErrorCode]: (...args: ErrorArgs<C>) => DeskError<C> };

export const isDeskError = (e: unknown): e is DeskError => e instanceof DeskError;

/** The exit code and HTTP status of any error: a DeskError's own, else E_INTERNAL's. */
export function errorOutcome(e: unknown): { code: ErrorCode; exitCode: number; httpStatus: number } {
  if (isDeskError(e)) return { code: e.code, exitCode: e.exitCode, httpStatus: e.httpStatus };
  const c = ERROR_CATALOGUE.E_INTERNAL;
  return { code: CODES.E_INTERNAL, exitCode: c.exitCode, httpStatus: c.httpStatus };
}
