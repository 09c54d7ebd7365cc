/** The review stage: a case's program rules against the registry. */
export { reviewInPass, reviewProcessor } from './worker.js';
export type { RegistryReads } from './program-review.js';
