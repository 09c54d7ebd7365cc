/** The AltiGen program's rules (docs/rules.md ALT-1 … ALT-10, with DSK-2/5/6). */
export * from './request.js';
export * from './lookup.js';
export * from './forms.js';
export * from './target.js';
export * from './ownership.js';
export * from './keys.js';
export * from './fees.js';
export * from './capacity.js';
export * from './software-only.js';
export * from './deadline.js';
export * from './sa-charge.js';
export * from './card.js';
export * from './review.js';
