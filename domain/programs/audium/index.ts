/** The Audium program's rules (docs/rules.md AUD-1 … AUD-5, with DSK-2/5/6) and its session pools. */
export * from './request.js';
export * from './lookup.js';
export * from './forms.js';
export * from './floating.js';
export * from './machines.js';
export * from './moves.js';
export * from './declaration.js';
export * from './sessions.js';
export * from './review.js';
