/** Deutsch. Same keys and placeholders as en.ts. */
import type { Catalogue } from './en.js';

export const de: Catalogue = {
  'mail.hello': 'Guten Tag,',
  'mail.signature': 'Der Lizenz-Desk (automatische Nachricht)',
  'mail.statusLine': 'Stand des Falls, jederzeit und ohne Anmeldung: {url}',
  'layout.brand': 'Lizenz-Desk',
  'layout.brandCase': 'Lizenz-Desk · Fall {caseNumber}',
  'layout.footer': 'Eine automatische Nachricht des Lizenz-Desks.',
  'layout.footerCase':
    'Eine automatische Nachricht des Lizenz-Desks. Antworten Sie darauf und behalten Sie "[Case {caseNumber}]" im Betreff.',
  'layout.statusButton': 'Stand von Fall {caseNumber} ansehen',

  'incomplete.subject': 'Formulare unvollständig: was noch fehlt',
  'incomplete.intro':
    'Vielen Dank für Ihre Formulare zu Fall {caseNumber}. Wir können die Lizenzen noch nicht übertragen (DSK-6).',
  'incomplete.missingHeading': 'Was fehlt oder korrigiert werden muss',
  'incomplete.toFix': 'So beheben Sie es: {fix}',
  'incomplete.formsText':
    'Im Anhang, vorausgefüllt mit dem, was wir aus dem Fall und Ihren Formularen wissen (leere Felder ausfüllen, speichern und an Ihre Antwort anhängen):',
  'incomplete.formsHeading': 'Ihre Formulare, vorausgefüllt im Anhang',
  'incomplete.formsHtml':
    'Wir haben {count, plural, one {das noch benötigte Formular} other {die noch benötigten Formulare}} angehängt, bereits ausgefüllt mit dem, was wir aus dem Fall und Ihren Formularen wissen. Öffnen Sie {count, plural, one {es} other {jedes}}, füllen Sie die leeren Felder aus, speichern Sie und hängen Sie {count, plural, one {es} other {sie}} an Ihre Antwort an.',
  'incomplete.leftEmpty': 'Leer gelassen, weil die gesendete Angabe nicht verwendbar war: {fields}',
  'incomplete.cardFields': 'Kartendaten füllen wir nie aus: {fields}',
  'incomplete.discarded':
    'Ein Feld, das wie eine Kartenprüfnummer aussah ({fields}), wurde entfernt und nicht gespeichert. Wir benötigen die Prüfnummer nie; bitte senden Sie sie nicht.',
  'incomplete.unreadableHeading': 'Anhänge, die wir nicht lesen konnten',
  'incomplete.outro':
    'Antworten Sie auf diese Nachricht (behalten Sie "[Case {caseNumber}]" im Betreff) und hängen Sie die korrigierten oder fehlenden Formulare an. Formulare, die Sie bereits gesendet haben und die in Ordnung waren, bleiben erhalten; Sie senden nur, was oben aufgeführt ist.',

  'rejected.subject': 'Übertragung abgelehnt',
  'rejected.intro': 'Wir können den Auftrag zu Fall {caseNumber} nicht ausführen.',
  'rejected.repReason': 'Ein Mitarbeiter hat den Fall geprüft und abgelehnt: {reason}',
  'rejected.outro':
    'Diese Regeln lassen sich nicht durch korrigierte Formulare zu diesem Fall erfüllen. Es wurde nichts übertragen und nichts berechnet. Wenn Sie dies für falsch halten, wenden Sie sich unter Angabe von Fall {caseNumber} an Ihren Ansprechpartner.',

  'finalSale.subject': 'Ein SWAP kann nicht erstattet oder rückgängig gemacht werden',
  'finalSale.body':
    'Wir haben Ihre Anfrage zu Fall {caseNumber} erhalten. Ein Lizenz-SWAP ist nach dem Einreichen unwiderruflich (SWP-2), und alle Softwareverkäufe sind endgültig (SWP-9): Der Desk kann ihn weder erstatten noch gutschreiben, stornieren oder rückgängig machen. Anfragen nach einer Gutschrift für Lizenzen laufen über das Verfahren des Herstellers; Ihr Account Manager berät Sie gern.',
  'finalSale.told': 'Ein Mitarbeiter wurde über Ihre Nachricht informiert.',

  'resend.subjectSeveral': 'Bitte erneut senden: Ihr Betreff nennt mehrere Fallnummern',
  'resend.subjectNotOpen': 'Bitte erneut senden: Fall {caseNumber} ist hier nicht offen',
  'resend.subjectNone': 'Bitte erneut senden, mit Ihrer Fallnummer im Betreff',
  'resend.intro': 'Wir haben Ihre Nachricht erhalten, konnten sie aber nicht zuordnen (DSK-1):',
  'resend.several':
    'ihr Betreff nennt mehr als eine Fallnummer ({numbers}). Eine Nachricht kann nur zu einem Fall gehören.',
  'resend.notOpen':
    'bei diesem Desk gibt es keinen offenen Fall {caseNumber} (DSK-2). Eröffnen Sie zuerst den Fall mit dem Systemschlüssel des Systems, auf das die Lizenzen übertragen werden, und senden Sie dann die Formulare erneut.',
  'resend.none': 'ihr Betreff enthält keine Fallnummer.',
  'resend.openHere':
    'Einen Fall eröffnen Sie selbst (DSK-12) unter {url}: Geben Sie Ihre registrierte Adresse und den Systemschlüssel an; Fallnummer und Formulare kommen per E-Mail.',
  'resend.howHeading': 'So senden Sie erneut',
  'resend.step1':
    'Antworten Sie auf diese Nachricht oder schreiben Sie eine neue, mit genau einer Fallnummer im Betreff, zum Beispiel "Case 123456" oder "[Case 123456]".',
  'resend.step2': 'Hängen Sie die ausgefüllten Formulare an (nicht als ZIP).',
  'resend.blankForms':
    'Die leeren Formulare des Desks für Ihre Programme sind angehängt und können ausgefüllt werden (im PDF tippen, speichern, anhängen):',
  'resend.nothingElse': 'Sonst wurde mit Ihrer Nachricht nichts getan.',

  'tooLarge.subject': 'Ihre Nachricht ist zu groß für den Lizenz-Desk',
  'tooLarge.subjectNamed': 'Ihre Nachricht ist zu groß für den Lizenz-Desk: "{originalSubject}"',
  'tooLarge.body':
    'Ihre Nachricht{named, select, yes { "{originalSubject}"} other {}}{dated, select, yes { vom {originalDate}} other {}} war {sizeMb} MB groß; der Lizenz-Desk nimmt Nachrichten bis {limitMb} MB ({limit} Byte) an. Sie wurde nicht gelesen und nicht bearbeitet.',
  'tooLarge.resend':
    'Bitte senden Sie die ausgefüllten Formulare erneut als PDF-Anhänge ohne weitere Dateien, mit der Fallnummer im Betreff (zum Beispiel "Case 123456"). Falls nötig, verteilen Sie sie auf mehrere Nachrichten.',

  'unreadable.subject': 'Ihre Nachricht konnte vom Lizenz-Desk nicht gelesen werden',
  'unreadable.body':
    'Die Nachricht, die Sie gesendet haben (diese E-Mail antwortet darauf), konnte nicht gelesen werden; sie wurde daher nicht bearbeitet.',
  'unreadable.resend':
    'Sie wurde für unsere Mitarbeiter aufbewahrt. Bitte senden Sie die ausgefüllten Formulare erneut als PDF-Anhänge, mit der Fallnummer im Betreff (zum Beispiel "Case 123456").',

  'quarantined.subject': 'Ihre Nachricht wird geprüft',
  'quarantined.body':
    'Wir haben Ihre Nachricht erhalten. Sie wurde unseren Mitarbeitern zur Prüfung übergeben; Sie hören von uns, falls etwas benötigt wird. Bitte senden Sie sie nicht erneut.',

  'sold.subject': 'Lizenzen auf Ihr Konto übertragen',
  'sold.intro': 'Auf Ihr Konto {toAccountId} wurden Lizenzen von {fromAccountId} übertragen (LVX-3):',

  'transferred.charges': 'Gebühren',
  'transferred.chargesCard': 'Gebühren (von der Karte mit der Endung {last4})',
  'transferred.total': 'Summe: {total}',
  'transferred.next': 'Die nächsten Schritte',

  'caseOpened.subject': 'Fall {caseNumber} ist eröffnet: Ihre Formulare',
  'caseOpened.intro':
    'Fall {caseNumber} ist für System {systemKey} eröffnet, wie auf der Seite des Lizenz-Desks für {email} beantragt (DSK-12).',
  'caseOpened.forms':
    '{count, plural, one {Das Formular dieses Programms ist} other {Die Formulare dieses Programms sind}} angehängt, vorausgefüllt mit Fallnummer, Ihrem Unternehmen, Ihrer Adresse, dem Endkunden und dem Zielsystem. Füllen Sie die leeren Felder aus, unterschreiben und speichern Sie, und hängen Sie {count, plural, one {es} other {sie}} an Ihre Antwort an:',
  'caseOpened.outro':
    'Antworten Sie auf diese Nachricht (behalten Sie "[Case {caseNumber}]" im Betreff) und hängen Sie die Formulare an. Ein Fall, zu dem {days, plural, one {# Tag} other {# Tage}} lang nichts eingeht, wird geschlossen (DSK-10).',

  'reminder.subject': 'Erinnerung: Fall {caseNumber} wartet auf Ihre Formulare',
  'reminder.intro':
    'Fall {caseNumber} wartet noch auf Sie (DSK-10). Wir können die Lizenzen erst übertragen, wenn uns Folgendes vorliegt:',
  'reminder.forms': 'Die noch benötigten Formulare sind erneut angehängt, vorausgefüllt:',
  'reminder.closesAt': 'Ohne Antwort wird der Fall am {when} geschlossen.',
  'reminder.outro':
    'Antworten Sie auf diese Nachricht (behalten Sie "[Case {caseNumber}]" im Betreff) und hängen Sie die Formulare an.',

  'caseClosed.subject': 'Fall {caseNumber} ist geschlossen: keine Antwort',
  'caseClosed.intro':
    'Fall {caseNumber} wurde geschlossen, weil {days, plural, one {# Tag} other {# Tage}} lang nichts dazu eingegangen ist (DSK-10). Es wurde nichts übertragen und nichts berechnet; dazu gesendete Kartendaten sind gelöscht.',
  'caseClosed.again':
    'Um neu zu beginnen, eröffnen Sie unter {url} einen neuen Fall mit dem Systemschlüssel: Die neue Fallnummer und die Formulare kommen per E-Mail.',

  'state.new': 'eröffnet: wartet auf Ihre Formulare',
  'state.received': 'eingegangen: der Desk liest Ihre Formulare',
  'state.waiting-partner': 'wartet auf Sie: Formulare oder Felder fehlen',
  'state.held': 'bei einem Mitarbeiter, der entscheidet',
  'state.approved': 'genehmigt: die Lizenzen werden übertragen',
  'state.transferred': 'erledigt: die Lizenzen wurden übertragen',
  'state.follow-up': 'übertragen: wartet auf die Rückgabe eines physischen Schlüssels',
  'state.billed': 'übertragen: ein nicht zurückgegebener Schlüssel wurde berechnet',
  'state.closed': 'geschlossen: nichts mehr zu tun',
  'state.rejected': 'abgelehnt: nichts übertragen',

  'outcome.pass': 'in Ordnung',
  'outcome.fail': 'zu beheben',
  'outcome.hold': 'für einen Mitarbeiter',
  'outcome.info': 'Hinweis',

  'status.title': 'Fall {caseNumber}',
  'status.state': 'Stand: {state}',
  'status.waitsHeading': 'Worauf der Desk wartet',
  'status.waits.partner': 'Auf Sie: Senden Sie, was unter "Fehlt oder fehlerhaft" steht.',
  'status.waits.rep': 'Auf einen Mitarbeiter, der über den Fall entscheidet.',
  'status.waits.desk': 'Auf den Desk selbst: Die Lizenzen werden übertragen.',
  'status.waits.reactivation': 'Auf die Reaktivierung der alten Maschine {machineId} (AUD-2).',
  'status.waits.key': 'Auf die Rückgabe des physischen Feature-Keys {fk}, fällig am {when}.',
  'status.waits.nothing': 'Auf nichts: Der Fall ist abgeschlossen.',
  'status.findingsHeading': 'Fehlt oder fehlerhaft',
  'status.noFindings': 'Es fehlt nichts, und nichts ist fehlerhaft.',
  'status.deadlineHeading': 'Frist',
  'status.deadline': 'Die Lizenzen werden bis {when} übertragen.',
  'status.left':
    'Noch {hours, plural, one {# Stunde} other {# Stunden}} und {minutes, plural, one {# Minute} other {# Minuten}}.',
  'status.passed': 'Die Frist ist abgelaufen; ein Mitarbeiter wurde informiert.',
  'status.closesAt': 'Ohne Antwort wird der Fall am {when} geschlossen.',
  'status.feesHeading': 'Gebühren',
  'status.feesCard': 'Von der Karte mit der Endung {last4}.',
  'status.total': 'Summe: {total}',
  'status.movesHeading': 'Übertragene Lizenzen',
  'status.formsHeading': 'Noch benötigte Formulare',
  'status.formsIntro':
    'Vorausgefüllt mit dem, was der Desk weiß: Füllen Sie die leeren Felder aus, unterschreiben Sie und senden Sie sie mit "[Case {caseNumber}]" im Betreff zurück.',
  'status.private':
    'Diese Seite ist nur für Sie: Leiten Sie den Link nicht weiter. Sie wird angezeigt, bis der Fall gelöscht ist.',
  'status.updated': 'Stand vom {when}.',

  'open.title': 'Einen Lizenzfall eröffnen',
  'open.intro':
    'Geben Sie die E-Mail-Adresse an, unter der der Desk Sie kennt, und den Schlüssel des Systems, auf das die Lizenzen übertragen werden. Ist die Adresse ein registrierter Kontakt für dieses System, gehen Fallnummer und Formulare an sie.',
  'open.email': 'Ihre E-Mail-Adresse',
  'open.system': 'Systemschlüssel (das System, auf das die Lizenzen übertragen werden)',
  'open.softwareOnly': 'Reines Software-Upgrade',
  'open.submit': 'Fall eröffnen',
  'open.done':
    'Wenn diese Adresse ein registrierter Kontakt für dieses System ist, ist die Fallnummer unterwegs: Sehen Sie in Ihr Postfach.',
  'open.limited': 'Zu viele Anfragen von hier. Versuchen Sie es in einer Stunde erneut.',
};
