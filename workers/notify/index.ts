/** The notify stage: mail out, and the reps' quarantine digests. */
export { createTransport, notifyProcessor } from './worker.js';
export { WebhookFanout } from './webhook-fanout.js';
export { WEBHOOK_BACKOFF_TYPE, webhookRetryDelay } from './webhook-retry.js';
export { noteQuarantine, sendQuarantineDigest, type QuarantineNotice } from './quarantine-digest.js';
export { openedCaseForms, prefilledForms, type PlannedAttachments } from './attachments.js';
export { partnerLocale } from './partner-mail.js';
