/**
 * Every Redis key of one desk, in one place. All keys share one hash tag so a
 * desk lives in one Redis Cluster slot and Lua scripts may touch any of them.
 * A prefix given without braces is wrapped: `ld` -> `{ld}`.
 */
export function hashTag(prefix: string): string {
  return /\{[^{}]+\}/.test(prefix) ? prefix : `{${prefix}}`;
}

export type RegistryCollection =
  'catalog' | 'partners' | 'endUsers' | 'systems' | 'licenses' | 'cases' | 'accounts' | 'pools' | 'installations';

export class DeskKeys {
  /** Also the BullMQ queue prefix, so queues share the desk's slot. */
  readonly tag: string;

  constructor(prefix: string) {
    this.tag = hashTag(prefix);
  }

  private k(...parts: string[]): string {
    return [this.tag, ...parts].join(':');
  }

  // --- registry (as imported; mutable state lives in the keys after these) ---
  /** Hash id -> JSON of the entity as imported. */
  regDoc(c: RegistryCollection): string {
    return this.k('reg', 'doc', c);
  }
  /** List of ids in file order, so an export gives the same document. */
  regOrder(c: RegistryCollection): string {
    return this.k('reg', 'order', c);
  }
  /** Which collections the imported file had (optional lists stay absent). */
  regPresent(): string {
    return this.k('reg', 'present');
  }
  /** Hash licenseKey -> systemKey where the license is now. */
  regLicenseSystem(): string {
    return this.k('reg', 'licenseSystem');
  }
  /** Set of license keys now on a system. */
  regSystemLicenses(systemKey: string): string {
    return this.k('reg', 'sysLicenses', systemKey);
  }
  /** Set of system keys disabled by a SWAP (SWP-3). */
  regDisabled(): string {
    return this.k('reg', 'disabled');
  }
  /**
   * Hash of what the desk (or an operator's update) changed in the registry since the last import:
   * `kind/id/field` (or `kind/id` for a whole entity) -> the value now, as JSON or a plain string.
   */
  regChanged(): string {
    return this.k('reg', 'changed');
  }
  /** The event log: a stream of every change the desk made, oldest first (docs/interfaces.md "Events"). */
  events(): string {
    return this.k('events');
  }
  /** Set of forfeited license keys (SWP-5). */
  regForfeited(): string {
    return this.k('reg', 'forfeited');
  }
  /** Hash accountId -> JSON {available, deployed} as they are now (LumenVox). */
  regAccountHoldings(): string {
    return this.k('reg', 'accountHoldings');
  }
  /** Hash machineId -> JSON {sessions, lastReactivatedAt} as they are now (Audium). */
  regInstallationState(): string {
    return this.k('reg', 'installationState');
  }
  /** Counter bumped by every import and every registry write. */
  regVersion(): string {
    return this.k('reg', 'version');
  }
  /**
   * A random token set by every import and by every write of a document as
   * imported (a new installation): documents read under one token are the
   * same, so a process may keep them (registry/imported-docs-cache.ts).
   */
  regImportGen(): string {
    return this.k('reg', 'importGen');
  }
  /**
   * Set of system keys whose `regSystemLicenses` set an import wrote, so the
   * next import can delete every one of them (with the systems licenses have
   * been moved to since, found through `regLicenseSystem`).
   */
  regLicenseSetSystems(): string {
    return this.k('reg', 'licenseSetSystems');
  }
  /**
   * Hash partnerId -> JSON {endUsers, systems, cases, accounts, pools,
   * installations}: that partner's ids in file order, built at import, so a
   * partner's snapshot loads only its own part of the registry.
   */
  regPartnerIndex(): string {
    return this.k('reg', 'partnerIndex');
  }
  /** Hash licenseKey -> its position in the file (orders a partial snapshot). */
  regLicensePos(): string {
    return this.k('reg', 'licensePos');
  }

  // --- cases ---
  /** Hash: doc (JSON), state, version. */
  /** Hash formId -> sealed JSON of the crops of its boxes read from paper (DSK-9), with an expiry. */
  paperCrops(n: string): string {
    return this.k('paper', 'crops', n);
  }
  case(n: string): string {
    return this.k('case', n);
  }
  /** Sorted set of case numbers by first receipt. */
  cases(): string {
    return this.k('cases');
  }
  /**
   * Sorted set of the case numbers now in one state, scored by the case's
   * last update (ms); the commit script moves a case between them.
   */
  casesByState(state: string): string {
    return this.k('cases', 'byState', state);
  }

  // --- the fee ledger (DSK-11), written by the case commit script ---
  /** Hash entry id -> JSON of one ledger entry (domain/fee-ledger.ts). */
  fees(): string {
    return this.k('fees');
  }
  /** Sorted set of entry ids by when they were assessed (ms): listing by date, and retention. */
  feesByTime(): string {
    return this.k('fees', 'byTime');
  }
  /** Sorted set of the entry ids now in one state, scored by when they were assessed. */
  feesByState(state: string): string {
    return this.k('fees', 'byState', state);
  }
  /** Sorted set of one case's entry ids, scored by when they were assessed. */
  caseFees(n: string): string {
    return this.k('fees', 'case', n);
  }
  /** Counter of one console account's card reveals in the current window (console/fees-routes.ts). */
  cardReveals(email: string): string {
    return this.k('fees', 'reveals', email);
  }

  // --- audit (DSK-8): the desk's own append-only stream, never trimmed ---
  audit(): string {
    return this.k('audit');
  }
  /** Sorted set: one case's audit stream ids, scored by their ms (a case's trail without scanning the stream). */
  caseAudit(n: string): string {
    return this.k('audit', 'case', n);
  }
  /** String: set once every audit entry written before the case indexes existed has been indexed. */
  auditIndexed(): string {
    return this.k('audit', 'caseIndexComplete');
  }

  // --- mail in ---
  /** Hash: the stored message (encrypted raw + metadata). */
  message(id: string): string {
    return this.k('msg', id);
  }
  /** Hash Message-ID header -> message id (DSK-4). */
  messageIds(): string {
    return this.k('msg', 'byMessageId');
  }
  /** Hash `${uidValidity}:${uid}` -> message id. */
  messageUids(): string {
    return this.k('msg', 'byUid');
  }
  /** Sorted set of message ids by receipt. */
  messages(): string {
    return this.k('msg', 'all');
  }
  /** Sorted set of quarantined message ids. */
  quarantine(): string {
    return this.k('quarantine');
  }
  /** Set of quarantined mail still to be moved to the IMAP Quarantine folder (store/message-store.ts QUARANTINE_MOVE_ID). */
  quarantineMoves(): string {
    return this.k('quarantine', 'imapMoves');
  }
  /** Sorted set: message id scored by when its raw mail is deleted (retention, store/message-retention.ts). */
  retentionDue(): string {
    return this.k('msg', 'retentionDue');
  }
  /** Sorted set: message id scored by when its intake began to be awaited (stored or released); left when intake ends it. */
  messagesPending(): string {
    return this.k('msg', 'pending');
  }
  /** Set of message ids whose IMAP copy the ingester replaces by the card-stripped copy. */
  imapReplacements(): string {
    return this.k('msg', 'imapReplace');
  }
  /** Set of IMAP copies the ingester deletes (their retention ended): by UID, or by Message-ID (store/message-retention.ts UID_TOKEN). */
  imapDeletions(): string {
    return this.k('msg', 'imapDelete');
  }
  /** Lease held by the one ingester of a mailbox. */
  ingestLease(mailbox: string): string {
    return this.k('lease', 'ingest', mailbox);
  }

  // --- mail out ---
  /** Hash: one record per desk mail (dedupe + what was sent). */
  outbox(mailId: string): string {
    return this.k('outbox', mailId);
  }
  /** Sorted set of outbox mail ids by time. */
  outboxAll(): string {
    return this.k('outbox', 'all');
  }
  /** Set while an address that hard-bounced is not mailed. */
  suppressed(address: string): string {
    return this.k('suppressed', address);
  }
  /** Counter of automatic answers to one address in one hour. */
  replyRate(address: string, hour: string): string {
    return this.k('rate', hour, address);
  }
  /** Set of the mail ids sent (or being sent) as automatic answers to one address in one hour. */
  replyMails(address: string, hour: string): string {
    return this.k('rate-mails', hour, address);
  }
  /** List of quarantine notices of one kind waiting for the reps' next digest (capped, with a TTL). */
  quarantineDigestItems(kind: string): string {
    return this.k('qdigest', kind, 'items');
  }
  /** Hash: `due` (ms of the scheduled digest), `lastSent` (ms), `dropped` (notices over the cap). */
  quarantineDigestState(kind: string): string {
    return this.k('qdigest', kind, 'state');
  }
  /** List: the notices one digest (due at `due`) mails, kept while its mail job may retry. */
  quarantineDigestBatch(kind: string, due: string): string {
    return this.k('qdigest', kind, 'batch', due);
  }

  // --- console accounts and sign-in ---
  /** Hash: one console account (role, password hash, generation). */
  user(email: string): string {
    return this.k('user', email);
  }
  /** Set of console account e-mails. */
  users(): string {
    return this.k('users');
  }
  /**
   * Counter of failed sign-ins of one account from one client (store/user-store.ts
   * `clientKey`), expiring with the lock window. The client part is
   * URI-encoded, so it holds no `:` and the key names one (account, client) only.
   */
  loginFailures(email: string, client: string): string {
    return this.k('login', 'clientFailures', email, encodeURIComponent(client));
  }
  /** Set while one client is locked out of one account after too many failed sign-ins from it. */
  loginLock(email: string, client: string): string {
    return this.k('login', 'clientLock', email, encodeURIComponent(client));
  }
  /** Set of the clients with a failure count or lock on one account (so `user passwd` can lift them all). */
  loginClients(email: string): string {
    return this.k('login', 'clients', email);
  }
  /** Counter of one account's failed sign-ins from every client in the current hour (the slow backoff). */
  loginAccountFailures(email: string): string {
    return this.k('login', 'accountFailures', email);
  }
  /** Set while the account's owner has been mailed about failed sign-ins (at most once a lock window). */
  loginAlerted(email: string): string {
    return this.k('login', 'alerted', email);
  }
  /** One console session (JSON), expiring when idle. */
  session(id: string): string {
    return this.k('session', id);
  }

  // --- follow-up ---
  /** Hash machineId -> ISO time of its latest reactivation (AUD-2, AUD-3). */
  reactivations(): string {
    return this.k('reactivations');
  }
  /** Hash FK -> JSON {by, at} of recorded key returns (SWP-6). */
  /** Hash token name -> JSON {name, scopes, created, hash} (store/token-store.ts). */
  apiTokens(): string {
    return this.k('api', 'tokens');
  }
  /** Hash SHA-256 of a token -> its name. */
  apiTokenHashes(): string {
    return this.k('api', 'tokenHashes');
  }
  /** Hash token name -> ISO time it was last used. */
  apiTokenUse(): string {
    return this.k('api', 'tokenUse');
  }
  /** Hash endpoint id -> JSON of a webhook endpoint (store/webhook-store.ts). */
  webhooks(): string {
    return this.k('webhooks');
  }
  /** Set of event ids an endpoint is still owed. */
  webhookPending(id: string): string {
    return this.k('webhook', id, 'pending');
  }
  /** List of an endpoint's latest delivery attempts, newest first (capped). */
  webhookAttempts(id: string): string {
    return this.k('webhook', id, 'attempts');
  }
  /** Hash of an endpoint's counters and last result. */
  webhookStats(id: string): string {
    return this.k('webhook', id, 'stats');
  }
  /** The last case number the desk gave (INCR), so numbers never repeat across processes. */
  caseSeq(): string {
    return this.k('case', 'seq');
  }
  keyReturns(): string {
    return this.k('keyReturns');
  }
}
