/** The transfer stage: the atomic move of a reviewed case. */
export { transferProcessor } from './worker.js';
