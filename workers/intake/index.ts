/** The intake stage: what other stages and the runner may use of it. */
export { intakeProcessor } from './worker.js';
export { queueIntake } from './queue-intake.js';
export { resumeLostIntakes } from './resume.js';
