import type { ErrorCode } from '../lib/errors.js';
/** Form ids of docs/forms.md: the name and version a blank form carries in `form_id`. */
export const FORM_IDS = [
  'license-transfer/v1',
  'card-authorization/v1',
  'sso-migration/v1',
  'swap-request/v1',
  'uninstall-declaration/v1',
  'account-transfer/v1',
] as const;
export type FormId = (typeof FORM_IDS)[number];

/** A field value as read from the PDF: text, checkbox state, or dropdown choice. */
export type FieldValue = string | boolean;

/** What the PDF reader returns for one attachment, before typing. */
export interface RawForm {
  formId: string;
  /** Field name -> value. Text trimmed; unchecked checkbox false; empty text ''. */
  fields: Record<string, FieldValue>;
  /**
   * Names of filled fields that looked like a card security code: their values
   * were dropped inside the reader and never leave it (docs/forms.md).
   */
  discarded: string[];
  /**
   * Set only by the parse child, only for a file with more than one revision
   * (or a redefined object), after reading it with qpdf too (revisions.ts):
   * the names of fields whose value pdf-lib's front-to-back reading and
   * qpdf's xref-following reading (what the partner's viewer showed) differ
   * on. `['*']`: qpdf failed or ran out of time, so it is unknown. Non-empty:
   * hold for a rep. Absent: not checked (one revision, or read in process).
   */
  disagreements?: string[];
  /** Set when the form was read from paper (DSK-9): how, and how sure the reader is of each value. */
  paper?: PaperRead;
}

/** How a form was read from paper (DSK-9, forms/paper/). */
export interface PaperRead {
  /** `text`: a flattened PDF read from its text layer; `image`: a page image read by OCR and ink. */
  source: 'text' | 'image';
  /** The page of the form (from its QR code or its position in the file). */
  page: number;
  /** From the QR code of a pre-filled form. */
  caseNumber?: string;
  /** Field name → 0..1: how sure the reader is of the value. */
  confidence: Record<string, number>;
  /** Ink in the signature box (image pages only). */
  signed?: boolean;
  /** Field name → grey PNG (base64) of its box as the page showed it; never card data (DSK-5). */
  crops: Record<string, string>;
}

/** Why a PDF attachment could not be read; `code` is a user-facing error code. */
export interface UnreadablePdf {
  /** One of the catalogue's E_PDF_* codes (lib/errors.ts). */
  code: Extract<ErrorCode, `E_PDF_${string}`>;
  message: string;
}

export type ReadResult =
  | {
      ok: true;
      form: RawForm;
      /** Further forms of the same file (a fax or scan of several pages, DSK-9). */
      more?: RawForm[];
      /** 1-based pages of a paper file the desk could not place (DSK-9). */
      unplaced?: number[];
      /** 1-based pages of a paper file not read within the per-page budget (DSK-9). */
      overtime?: number[];
    }
  | { ok: false; error: UnreadablePdf };

/** A problem with one field of a typed form; reported to the partner (DSK-6). */
export interface FieldProblem {
  formId: FormId;
  field: string;
  problem: 'missing' | 'invalid' | 'ambiguous';
  message: string;
}
