/** The LumenVox program's rules (docs/rules.md LVX-1 … LVX-5, with DSK-5/6). */
export * from './request.js';
export * from './lookup.js';
export * from './forms.js';
export * from './accounts.js';
export * from './quantities.js';
export * from './review.js';
