/** The notify stage: mail out, and the reps' quarantine digests. */
export { createTransport, notifyProcessor } from './worker.js';
export { noteQuarantine, sendQuarantineDigest, type QuarantineNotice } from './quarantine-digest.js';
