/** Italiano. Same keys and placeholders as en.ts (apostrofi tipografici: l’ICU riserva l’apostrofo dritto). */
import type { Catalogue } from './en.js';

export const it: Catalogue = {
  'mail.hello': 'Buongiorno,',
  'mail.signature': 'Lo sportello licenze (messaggio automatico)',
  'mail.statusLine': 'Lo stato della pratica, in ogni momento e senza accesso: {url}',
  'layout.brand': 'Sportello licenze',
  'layout.brandCase': 'Sportello licenze · Pratica {caseNumber}',
  'layout.footer': 'Un messaggio automatico dello sportello licenze.',
  'layout.footerCase':
    'Un messaggio automatico dello sportello licenze. Rispondete mantenendo "[Case {caseNumber}]" nell’oggetto.',
  'layout.statusButton': 'Vedere lo stato della pratica {caseNumber}',

  'incomplete.subject': 'Moduli incompleti: cosa ci serve ancora',
  'incomplete.intro':
    'Grazie per i moduli della pratica {caseNumber}. Non possiamo ancora trasferire le licenze (DSK-6).',
  'incomplete.missingHeading': 'Cosa manca o va corretto',
  'incomplete.toFix': 'Per correggere: {fix}',
  'incomplete.formsText':
    'In allegato, precompilati con ciò che sappiamo della pratica e dei vostri moduli (compilate i campi vuoti, salvate e allegateli alla risposta):',
  'incomplete.formsHeading': 'I vostri moduli, allegati e precompilati',
  'incomplete.formsHtml':
    'Abbiamo allegato {count, plural, one {il modulo ancora necessario} other {i moduli ancora necessari}}, già compilat{count, plural, one {o} other {i}} con ciò che sappiamo della pratica e dei vostri moduli. {count, plural, one {Apritelo} other {Apriteli}}, compilate i campi vuoti, salvate e {count, plural, one {allegatelo} other {allegateli}} alla risposta.',
  'incomplete.leftEmpty': 'Lasciato vuoto perché il valore inviato non era utilizzabile: {fields}',
  'incomplete.cardFields': 'Non compiliamo mai i dati della carta: {fields}',
  'incomplete.discarded':
    'Un campo che sembrava un codice di sicurezza della carta ({fields}) è stato rimosso e non conservato. Non ci serve mai il codice di sicurezza; non inviatelo.',
  'incomplete.unreadableHeading': 'Allegati che non abbiamo potuto leggere',
  'incomplete.outro':
    'Rispondete a questo messaggio (mantenete "[Case {caseNumber}]" nell’oggetto) allegando i moduli corretti o mancanti. I moduli già inviati e corretti restano validi; inviate solo quanto indicato sopra.',

  'rejected.subject': 'Trasferimento respinto',
  'rejected.intro': 'Non possiamo dare seguito alla richiesta della pratica {caseNumber}.',
  'rejected.repReason': 'Un incaricato ha esaminato la pratica e l’ha respinta: {reason}',
  'rejected.outro':
    'Queste regole non si possono soddisfare inviando moduli corretti su questa pratica. Nulla è stato trasferito né addebitato. Se ritenete che sia un errore, contattate il vostro referente citando la pratica {caseNumber}.',

  'finalSale.subject': 'Uno SWAP non può essere rimborsato né annullato',
  'finalSale.body':
    'Abbiamo ricevuto la vostra richiesta sulla pratica {caseNumber}. Uno SWAP di licenze è irrevocabile una volta inviato (SWP-2) e tutte le vendite di software sono definitive (SWP-9): lo sportello non può rimborsarlo, accreditarlo, annullarlo né stornarlo. Ogni richiesta di accredito sulle licenze segue la procedura del produttore; il vostro account manager potrà informarvi.',
  'finalSale.told': 'Un incaricato è stato informato del vostro messaggio.',

  'resend.subjectSeveral': 'Reinviate, per favore: l’oggetto cita più numeri di pratica',
  'resend.subjectNotOpen': 'Reinviate, per favore: la pratica {caseNumber} non è aperta qui',
  'resend.subjectNone': 'Reinviate, per favore, con il numero di pratica nell’oggetto',
  'resend.intro': 'Abbiamo ricevuto il vostro messaggio ma non abbiamo potuto archiviarlo (DSK-1):',
  'resend.several':
    'l’oggetto cita più di un numero di pratica ({numbers}). Un messaggio può appartenere a una sola pratica.',
  'resend.notOpen':
    'non c’è nessuna pratica {caseNumber} aperta presso questo sportello (DSK-2). Aprite prima la pratica con la chiave del sistema a cui vanno le licenze, poi inviate di nuovo i moduli.',
  'resend.none': 'l’oggetto non contiene un numero di pratica.',
  'resend.openHere':
    'Per aprire voi stessi una pratica (DSK-12), andate su {url}: indicate l’indirizzo registrato e la chiave del sistema; numero di pratica e moduli arrivano per e-mail.',
  'resend.howHeading': 'Come reinviare',
  'resend.step1':
    'Rispondete a questo messaggio, o scrivetene uno nuovo, con esattamente un numero di pratica nell’oggetto, per esempio "Case 123456" o "[Case 123456]".',
  'resend.step2': 'Allegate i moduli compilati (non in uno zip).',
  'resend.blankForms':
    'In allegato i moduli vuoti dello sportello per i vostri programmi, pronti da compilare (scrivete nel PDF, salvate, allegate):',
  'resend.nothingElse': 'Nient’altro è stato fatto con il vostro messaggio.',

  'tooLarge.subject': 'Il vostro messaggio è troppo grande per lo sportello licenze',
  'tooLarge.subjectNamed': 'Il vostro messaggio è troppo grande per lo sportello licenze: "{originalSubject}"',
  'tooLarge.body':
    'Il vostro messaggio{named, select, yes { "{originalSubject}"} other {}}{dated, select, yes { del {originalDate}} other {}} era di {sizeMb} MB; lo sportello accetta messaggi fino a {limitMb} MB ({limit} byte). Non è stato letto e non è stato trattato.',
  'tooLarge.resend':
    'Inviate di nuovo i moduli compilati come allegati PDF senza altri file, con il numero di pratica nell’oggetto (per esempio "Case 123456"). Se serve, divideteli in più messaggi.',

  'unreadable.subject': 'Lo sportello licenze non ha potuto leggere il vostro messaggio',
  'unreadable.body':
    'Il messaggio che avete inviato (questa e-mail vi risponde) non si è potuto leggere, quindi non è stato trattato.',
  'unreadable.resend':
    'È stato conservato per il nostro personale. Inviate di nuovo i moduli compilati come allegati PDF, con il numero di pratica nell’oggetto (per esempio "Case 123456").',

  'quarantined.subject': 'Il vostro messaggio è in esame',
  'quarantined.body':
    'Abbiamo ricevuto il vostro messaggio. È stato passato al nostro personale per l’esame; vi scriveremo se serve qualcosa. Non reinviatelo.',

  'sold.subject': 'Licenze trasferite sul vostro conto',
  'sold.intro': 'Sono state trasferite licenze sul vostro conto {toAccountId} da {fromAccountId} (LVX-3):',

  'transferred.charges': 'Addebiti',
  'transferred.chargesCard': 'Addebiti (sulla carta che termina con {last4})',
  'transferred.total': 'Totale: {total}',
  'transferred.next': 'Prossimi passi',

  'caseOpened.subject': 'La pratica {caseNumber} è aperta: i vostri moduli',
  'caseOpened.intro':
    'La pratica {caseNumber} è aperta per il sistema {systemKey}, come richiesto sulla pagina dello sportello licenze per {email} (DSK-12).',
  'caseOpened.forms':
    '{count, plural, one {In allegato il modulo di questo programma, precompilato} other {In allegato i moduli di questo programma, precompilati}} con numero di pratica, la vostra azienda, il vostro indirizzo, il cliente finale e il sistema di destinazione. Compilate i campi vuoti, firmate, salvate e {count, plural, one {allegatelo} other {allegateli}} alla risposta:',
  'caseOpened.outro':
    'Rispondete a questo messaggio (mantenete "[Case {caseNumber}]" nell’oggetto) allegando i moduli. Una pratica che non riceve nulla per {days, plural, one {# giorno} other {# giorni}} viene chiusa (DSK-10).',

  'reminder.subject': 'Promemoria: la pratica {caseNumber} attende i vostri moduli',
  'reminder.intro':
    'La pratica {caseNumber} vi attende ancora (DSK-10). Non possiamo trasferire le licenze finché non riceviamo:',
  'reminder.forms': 'I moduli ancora necessari sono di nuovo allegati, precompilati:',
  'reminder.closesAt': 'Senza risposta, la pratica viene chiusa il {when}.',
  'reminder.outro': 'Rispondete a questo messaggio (mantenete "[Case {caseNumber}]" nell’oggetto) allegando i moduli.',

  'caseClosed.subject': 'La pratica {caseNumber} è chiusa: nessuna risposta',
  'caseClosed.intro':
    'La pratica {caseNumber} è stata chiusa perché non è arrivato nulla per {days, plural, one {# giorno} other {# giorni}} (DSK-10). Nulla è stato trasferito né addebitato; i dati della carta inviati sono stati eliminati.',
  'caseClosed.again':
    'Per ricominciare, aprite una nuova pratica su {url} con la chiave del sistema: il nuovo numero di pratica e i moduli arrivano per e-mail.',

  'state.new': 'aperta: in attesa dei vostri moduli',
  'state.received': 'ricevuta: lo sportello sta leggendo i vostri moduli',
  'state.waiting-partner': 'in attesa di voi: mancano moduli o campi',
  'state.held': 'presso un incaricato, che decide',
  'state.approved': 'approvata: le licenze sono in trasferimento',
  'state.transferred': 'fatto: le licenze sono state trasferite',
  'state.follow-up': 'trasferita: in attesa della restituzione di una chiave fisica',
  'state.billed': 'trasferita: è stata fatturata una chiave non restituita',
  'state.closed': 'chiusa: non resta nulla da fare',
  'state.rejected': 'respinta: nulla è stato trasferito',

  'outcome.pass': 'a posto',
  'outcome.fail': 'da correggere',
  'outcome.hold': 'per un incaricato',
  'outcome.info': 'nota',

  'status.title': 'Pratica {caseNumber}',
  'status.state': 'Stato: {state}',
  'status.waitsHeading': 'Che cosa attende lo sportello',
  'status.waits.partner': 'Voi: inviate quanto indicato in "Mancante o errato".',
  'status.waits.rep': 'Un incaricato, che decide sulla pratica.',
  'status.waits.desk': 'Lo sportello stesso: le licenze sono in trasferimento.',
  'status.waits.reactivation': 'La riattivazione della vecchia macchina {machineId} (AUD-2).',
  'status.waits.key': 'La restituzione della chiave fisica {fk}, prevista il {when}.',
  'status.waits.nothing': 'Nulla: la pratica è conclusa.',
  'status.findingsHeading': 'Mancante o errato',
  'status.noFindings': 'Non manca nulla e nulla è errato.',
  'status.deadlineHeading': 'Scadenza',
  'status.deadline': 'Le licenze vengono trasferite entro il {when}.',
  'status.left':
    'Mancano {hours, plural, one {# ora} other {# ore}} e {minutes, plural, one {# minuto} other {# minuti}}.',
  'status.passed': 'La scadenza è passata; un incaricato è stato avvisato.',
  'status.closesAt': 'Senza risposta, la pratica viene chiusa il {when}.',
  'status.feesHeading': 'Addebiti',
  'status.feesCard': 'Sulla carta che termina con {last4}.',
  'status.total': 'Totale: {total}',
  'status.movesHeading': 'Licenze trasferite',
  'status.formsHeading': 'Moduli ancora necessari',
  'status.formsIntro':
    'Precompilati con ciò che sa lo sportello: compilate i campi vuoti, firmate e rimandateli con "[Case {caseNumber}]" nell’oggetto.',
  'status.private':
    'Questa pagina è solo per voi: non inoltratene il link. Resta visibile finché la pratica non viene eliminata.',
  'status.updated': 'Aggiornato al {when}.',

  'open.title': 'Aprire una pratica di licenze',
  'open.intro':
    'Indicate l’indirizzo e-mail con cui lo sportello vi conosce e la chiave del sistema a cui vanno le licenze. Se l’indirizzo è un contatto registrato del sistema, numero di pratica e moduli vengono inviati a quell’indirizzo.',
  'open.email': 'Il vostro indirizzo e-mail',
  'open.system': 'Chiave del sistema (quello che riceve le licenze)',
  'open.softwareOnly': 'Solo aggiornamento software',
  'open.submit': 'Aprire la pratica',
  'open.done':
    'Se questo indirizzo è un contatto registrato del sistema, il numero di pratica è in arrivo: controllate la casella di posta.',
  'open.limited': 'Troppe richieste da qui. Riprovate fra un’ora.',
};
