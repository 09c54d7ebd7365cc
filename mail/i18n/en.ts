/**
 * The English catalogue: every sentence a partner reads (mail text and HTML,
 * the status page, /open), in ICU MessageFormat. Every other language's
 * catalogue has exactly these keys and placeholders (test/unit/i18n-catalogues.test.ts).
 * Rule IDs, case numbers, form field names and headers are never translated:
 * they are placeholders or written as they are.
 */
export const en = {
  'mail.hello': 'Hello,',
  'mail.signature': 'The license desk (automatic message)',
  'mail.statusLine': 'Where the case stands, any time (no sign-in): {url}',
  'layout.brand': 'License desk',
  'layout.brandCase': 'License desk · Case {caseNumber}',
  'layout.footer': 'An automatic message from the license desk.',
  'layout.footerCase':
    'An automatic message from the license desk. Reply to it, keeping "[Case {caseNumber}]" in the subject.',
  'layout.statusButton': 'See where case {caseNumber} stands',

  'incomplete.subject': 'Forms incomplete: what we still need',
  'incomplete.intro': 'Thank you for your forms for case {caseNumber}. We cannot move the licenses yet (DSK-6).',
  'incomplete.missingHeading': 'What is missing or must be corrected',
  'incomplete.toFix': 'To fix: {fix}',
  'incomplete.formsText':
    'Attached, pre-filled with what we know from the case and from the forms you sent (fill in the empty fields, save, and attach to your reply):',
  'incomplete.formsHeading': 'Your forms, attached and pre-filled',
  'incomplete.formsHtml':
    'We attached {count, plural, one {the form} other {the forms}} still needed, already filled in with what we know from the case and from the forms you sent. Open {count, plural, one {it} other {each one}}, fill in the empty fields, save and attach {count, plural, one {it} other {them}} to your reply.',
  'incomplete.leftEmpty': 'Left empty because what was sent could not be used: {fields}',
  'incomplete.cardFields': 'Card details are never filled in by us: {fields}',
  'incomplete.discarded':
    'A field that looked like a card security code ({fields}) was removed and not stored. We never need the security code; please do not send it.',
  'incomplete.unreadableHeading': 'Attachments we could not read',
  'incomplete.outro':
    'Reply to this message (keep "[Case {caseNumber}]" in the subject) with the corrected or missing forms attached. Forms you already sent and that were fine are kept; you only need to send what is listed above.',

  'rejected.subject': 'Transfer rejected',
  'rejected.intro': 'We cannot carry out the request on case {caseNumber}.',
  'rejected.repReason': 'A representative reviewed the case and rejected it: {reason}',
  'rejected.outro':
    'These rules cannot be met by sending corrected forms on this case. Nothing has been moved and nothing has been charged. If you believe this is wrong, contact your account representative and quote case {caseNumber}.',

  'finalSale.subject': 'A SWAP cannot be refunded or undone',
  'finalSale.body':
    "We received your request about case {caseNumber}. A license SWAP is irrevocable once submitted (SWP-2), and all software sales are final (SWP-9): the desk cannot refund, credit, cancel or reverse it. Any request for credit on licensing goes through the vendor's own process; your account manager can tell you more.",
  'finalSale.told': 'A representative has been told of your message.',

  'resend.subjectSeveral': 'Please resend: your subject names several case numbers',
  'resend.subjectNotOpen': 'Please resend: case {caseNumber} is not open here',
  'resend.subjectNone': 'Please resend with your case number in the subject',
  'resend.intro': 'We received your message but could not file it (DSK-1):',
  'resend.several': 'its subject names more than one case number ({numbers}). One message can only belong to one case.',
  'resend.notOpen':
    'there is no open case {caseNumber} at this desk (DSK-2). Open the case first, with the system key of the system the licenses move to, then send the forms again.',
  'resend.none': 'its subject has no case number.',
  'resend.openHere':
    'To open a case yourself (DSK-12), go to {url}: give your registered address and the system key; the case number and the forms come back by mail.',
  'resend.howHeading': 'How to resend',
  'resend.step1':
    'Reply to this message, or write a new one, with exactly one case number in the subject, for example "Case 123456" or "[Case 123456]".',
  'resend.step2': 'Attach the filled forms (not in a zip).',
  'resend.blankForms':
    "The desk's blank forms for your programs are attached, ready to fill in (type into the PDF, save it, attach it):",
  'resend.nothingElse': 'Nothing else was done with your message.',

  'tooLarge.subject': 'Your message is too large for the license desk',
  'tooLarge.subjectNamed': 'Your message is too large for the license desk: "{originalSubject}"',
  'tooLarge.body':
    'Your message{named, select, yes { "{originalSubject}"} other {}}{dated, select, yes { of {originalDate}} other {}} was {sizeMb} MB; the license desk accepts messages of up to {limitMb} MB ({limit} bytes). It was not read and nothing was done with it.',
  'tooLarge.resend':
    'Please send the filled forms again, as PDF attachments without other files, with the case number in the subject (for example "Case 123456"). If needed, send them in several messages.',

  'unreadable.subject': 'Your message could not be read by the license desk',
  'unreadable.body': 'The message you sent (this mail answers it) could not be read, so nothing was done with it.',
  'unreadable.resend':
    'It has been kept for our staff. Please send the filled forms again as PDF attachments, with the case number in the subject (for example "Case 123456").',

  'quarantined.subject': 'Your message is being reviewed',
  'quarantined.body':
    'We received your message. It has been passed to our staff for review; you will hear from us if anything is needed. Please do not resend it.',

  'sold.subject': 'Licenses transferred to your account',
  'sold.intro': 'Licenses were transferred to your account {toAccountId} from {fromAccountId} (LVX-3):',

  'transferred.charges': 'Charges',
  'transferred.chargesCard': 'Charges (to the card ending {last4})',
  'transferred.total': 'Total: {total}',
  'transferred.next': 'What to do next',

  'caseOpened.subject': 'Case {caseNumber} is open: your forms',
  'caseOpened.intro':
    "Case {caseNumber} is open for system {systemKey}, as asked on the license desk's page for {email} (DSK-12).",
  'caseOpened.forms':
    '{count, plural, one {The form of this program is} other {The forms of this program are}} attached, pre-filled with the case number, your company, your address, the end user and the target system. Fill in the empty fields, sign, save and attach {count, plural, one {it} other {them}} to your reply:',
  'caseOpened.outro':
    'Reply to this message (keep "[Case {caseNumber}]" in the subject) with the forms attached. A case that receives nothing for {days, plural, one {# day} other {# days}} is closed (DSK-10).',

  'reminder.subject': 'Reminder: case {caseNumber} is waiting for your forms',
  'reminder.intro': 'Case {caseNumber} is still waiting for you (DSK-10). We cannot move the licenses until we have:',
  'reminder.forms': 'The forms still needed are attached again, pre-filled:',
  'reminder.closesAt': 'Without an answer, the case is closed on {when}.',
  'reminder.outro': 'Reply to this message (keep "[Case {caseNumber}]" in the subject) with the forms attached.',

  'caseClosed.subject': 'Case {caseNumber} is closed: no answer',
  'caseClosed.intro':
    'Case {caseNumber} was closed because nothing arrived on it for {days, plural, one {# day} other {# days}} (DSK-10). Nothing was moved and nothing was charged; card details sent on it are deleted.',
  'caseClosed.again':
    'To start again, open a new case on {url} with the system key: the new case number and the forms come back by mail.',

  'state.new': 'opened: waiting for your forms',
  'state.received': 'received: the desk is reading your forms',
  'state.waiting-partner': 'waiting for you: forms or fields are missing',
  'state.held': 'with a representative, who decides',
  'state.approved': 'approved: the licenses are being moved',
  'state.transferred': 'done: the licenses moved',
  'state.follow-up': 'moved: waiting for a physical key to come back',
  'state.billed': 'moved: an unreturned key was billed',
  'state.closed': 'closed: nothing more to do',
  'state.rejected': 'rejected: nothing moved',

  'outcome.pass': 'fine',
  'outcome.fail': 'to fix',
  'outcome.hold': 'for a representative',
  'outcome.info': 'note',

  'status.title': 'Case {caseNumber}',
  'status.state': 'State: {state}',
  'status.waitsHeading': 'What the desk waits for',
  'status.waits.partner': 'You: send what is listed under "Missing or failing".',
  'status.waits.rep': 'A representative, who decides on the case.',
  'status.waits.desk': 'The desk itself: the licenses are being moved.',
  'status.waits.reactivation': 'The reactivation of the old machine {machineId} (AUD-2).',
  'status.waits.key': 'The return of the physical feature key {fk}, due {when}.',
  'status.waits.nothing': 'Nothing: the case is finished.',
  'status.findingsHeading': 'Missing or failing',
  'status.noFindings': 'Nothing is missing or failing.',
  'status.deadlineHeading': 'Deadline',
  'status.deadline': 'The licenses are moved by {when}.',
  'status.left':
    '{hours, plural, one {# hour} other {# hours}} and {minutes, plural, one {# minute} other {# minutes}} left.',
  'status.passed': 'The deadline has passed; a representative has been told.',
  'status.closesAt': 'Without an answer, the case is closed on {when}.',
  'status.feesHeading': 'Fees',
  'status.feesCard': 'To the card ending {last4}.',
  'status.total': 'Total: {total}',
  'status.movesHeading': 'Licenses moved',
  'status.formsHeading': 'Forms still needed',
  'status.formsIntro':
    'Pre-filled with what the desk knows: fill in the empty fields, sign, and mail them back with "[Case {caseNumber}]" in the subject.',
  'status.private': 'This page is for you only: do not forward its link. It is shown until the case is deleted.',
  'status.updated': 'As of {when}.',

  'open.title': 'Open a license case',
  'open.intro':
    'Give the e-mail address the desk knows you by and the key of the system the licenses move to. If that address is a registered contact for the system, the case number and the forms are mailed to it.',
  'open.email': 'Your e-mail address',
  'open.system': 'System key (the system the licenses move to)',
  'open.softwareOnly': 'Software-only upgrade',
  'open.submit': 'Open the case',
  'open.done':
    'If this address is a registered contact for that system, the case number is on its way: look in your mailbox.',
  'open.limited': 'Too many requests from here. Try again in an hour.',
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
