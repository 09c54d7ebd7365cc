/** The retention stage: how long kept mail lives, and the card strips (DSK-5, DSK-11). */
export {
  caseRetention,
  jobRetention,
  messageFinished,
  messageJoinedCase,
  retireMessages,
  stripCaseCardForms,
  stripMessageCardForms,
  stripImapCopy,
  sweepRetention,
  DECIDED_STATES,
} from './mail-retention.js';
export { applyImapRetention, moveQuarantinedCopies, recordImapCopy, IMAP_RETENTION_BATCH } from './imap-retention.js';
export {
  CARD_FORM_ID,
  cardPdfVerdicts,
  noteCardPdfVerdicts,
  verdictOf,
  pdfDigest,
  type CardPdfVerdict,
} from './card-pdf-verdicts.js';
