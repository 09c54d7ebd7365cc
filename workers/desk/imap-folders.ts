/**
 * The mailbox folders the desk files partner mail into: ingest moves each
 * message there once it is stored, retention later strips or deletes the copy.
 */
export const PROCESSED_FOLDER = 'Processed';
export const QUARANTINE_FOLDER = 'Quarantine';
