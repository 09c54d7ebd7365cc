/**
 * The time one message may take to be read, altogether (its MIME parse and
 * every PDF it carries), on top of each PDF's own 15 s: without it a mail of
 * many slow PDFs held an intake job (and its parse budget) for 15 s a PDF.
 * Measured on the monotonic clock: it bounds real work, not business time,
 * so ctx.clock (which tests may set) does not apply.
 */
import { performance } from 'node:perf_hooks';
import { readPdfIsolated } from '../../forms/pdf-read-client.js';
import { CODES } from '../../lib/errors.js';
import { ISOLATED_DEFAULTS } from '../../forms/pdf-read-protocol.js';
import type { ReadResult } from '../../forms/types.js';
import { paperKind } from '../../forms/paper/read-paper.js';

/** A page image's own budget: a fax of a few pages, each page's boxes read by OCR. */
export const PAPER_IMAGE_TIMEOUT_MS = 30_000;

export class MessageParseBudget {
  private readonly deadline: number;

  constructor(readonly seconds: number) {
    this.deadline = performance.now() + seconds * 1000;
  }

  remainingMs(): number {
    return Math.max(0, Math.floor(this.deadline - performance.now()));
  }

  /**
   * Reads one PDF (or page image, DSK-9) within what is left of the message's budget (and never beyond the
   * file's own: 15 s for a PDF, PAPER_IMAGE_TIMEOUT_MS for a page image, whose every box is read by OCR).
   */
  async readPdf(bytes: Uint8Array): Promise<ReadResult> {
    const left = this.remainingMs();
    if (left < 1) {
      return {
        ok: false,
        error: {
          code: CODES.E_PDF_TIMEOUT,
          message: `This file was not read: the message's attachments took over ${this.seconds} seconds to read altogether. Please send just the filled forms the desk sent, in a message of their own.`,
        },
      };
    }
    const kind = paperKind(bytes);
    const own = kind && kind !== 'pdf' ? PAPER_IMAGE_TIMEOUT_MS : ISOLATED_DEFAULTS.timeoutMs;
    return readPdfIsolated(bytes, { timeoutMs: Math.min(own, left) });
  }
}
