/** The ingest stage: the mailbox's one lease holder, IMAP IDLE in, each message stored once. */
export { Ingester, type IngesterOptions } from './ingester.js';
