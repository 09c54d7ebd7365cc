/** The shared embedded server lives in embedded/ (the demo uses it too). */
export * from '../../embedded/dovecot.js';
