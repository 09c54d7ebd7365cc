/** Kinds of mail the desk sends (docs/interfaces.md), with who they go to (`account`: a console account's own address). */
export const MAIL_KINDS = {
  'resend-instructions': 'sender',
  incomplete: 'partner',
  rejected: 'partner',
  transferred: 'partner',
  sold: 'buyer',
  quarantined: 'sender',
  'too-large': 'sender',
  'unreadable-mail': 'sender',
  'final-sale': 'partner',
  'case-opened': 'partner',
  reminder: 'partner',
  'case-closed': 'partner',
  'payment-declined': 'partner',
  'rep-message': 'partner',
  'reactivation-needed': 'partner',
  'rep-new-case': 'reps',
  'rep-held': 'reps',
  'rep-paper': 'reps',
  'rep-deadline-warning': 'reps',
  'rep-quarantine': 'reps',
  'rep-mail-failing': 'reps',
  'rep-webhook-failing': 'reps',
  'rep-signin-locked': 'account',
  'sales-po': 'sales',
  'sales-bill': 'sales',
} as const;
export type MailKind = keyof typeof MAIL_KINDS;

/** Mail to partners and senders is an automatic reply (RFC 3834), rate limited. */
export const isAutoReply = (kind: MailKind): boolean =>
  MAIL_KINDS[kind] === 'sender' || MAIL_KINDS[kind] === 'partner' || MAIL_KINDS[kind] === 'buyer';
