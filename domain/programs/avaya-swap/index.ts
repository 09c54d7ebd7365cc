/** The Avaya IP Office SWAP program's rules (docs/rules.md SWP-1 … SWP-9, with DSK-2/5/6). */
export * from './request.js';
export * from './near-miss.js';
export * from './forms.js';
export * from './target.js';
export * from './identifiers.js';
export * from './fees.js';
export * from './finality.js';
export * from './licenses.js';
export * from './platform.js';
export * from './key-return.js';
export * from './review.js';
