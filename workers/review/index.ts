/** The review stage: a case's program rules against the registry. */
export { reviewProcessor } from './worker.js';
