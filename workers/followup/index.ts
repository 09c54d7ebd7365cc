/** The followup stage: deadlines, SWP-6 key follow-ups, the sweep, and the timers retention asks for. */
export { followupProcessor } from './worker.js';
export { moveLegacyTimers } from './legacy-queue.js';
