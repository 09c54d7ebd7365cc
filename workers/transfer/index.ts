/** The transfer stage: the atomic move of a reviewed case. */
export { moveInPass, transferEnv, transferProcessor } from './worker.js';
export { transferEffectsAgain } from './replay.js';
