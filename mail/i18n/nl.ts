/** Nederlands. Same keys and placeholders as en.ts (typografische apostrof: ICU reserveert de rechte). */
import type { Catalogue } from './en.js';

export const nl: Catalogue = {
  'mail.hello': 'Goedendag,',
  'mail.signature': 'De licentiedesk (automatisch bericht)',
  'mail.statusLine': 'De stand van de zaak, altijd en zonder inloggen: {url}',
  'layout.brand': 'Licentiedesk',
  'layout.brandCase': 'Licentiedesk · Zaak {caseNumber}',
  'layout.footer': 'Een automatisch bericht van de licentiedesk.',
  'layout.footerCase':
    'Een automatisch bericht van de licentiedesk. Beantwoord het en houd "[Case {caseNumber}]" in het onderwerp.',
  'layout.statusButton': 'Bekijk de stand van zaak {caseNumber}',

  'incomplete.subject': 'Formulieren onvolledig: wat we nog nodig hebben',
  'incomplete.intro':
    'Dank voor uw formulieren voor zaak {caseNumber}. We kunnen de licenties nog niet overzetten (DSK-6).',
  'incomplete.missingHeading': 'Wat ontbreekt of gecorrigeerd moet worden',
  'incomplete.toFix': 'Zo lost u het op: {fix}',
  'incomplete.formsText':
    'Bijgevoegd, vooraf ingevuld met wat we weten uit de zaak en uw formulieren (vul de lege velden in, sla op en voeg ze bij uw antwoord):',
  'incomplete.formsHeading': 'Uw formulieren, bijgevoegd en vooraf ingevuld',
  'incomplete.formsHtml':
    'We hebben {count, plural, one {het formulier} other {de formulieren}} bijgevoegd {count, plural, one {dat} other {die}} nog nodig {count, plural, one {is} other {zijn}}, al ingevuld met wat we weten uit de zaak en uw formulieren. Open {count, plural, one {het} other {elk formulier}}, vul de lege velden in, sla op en voeg {count, plural, one {het} other {ze}} bij uw antwoord.',
  'incomplete.leftEmpty': 'Leeg gelaten omdat wat werd gestuurd niet bruikbaar was: {fields}',
  'incomplete.cardFields': 'Kaartgegevens vullen wij nooit in: {fields}',
  'incomplete.discarded':
    'Een veld dat op een beveiligingscode van een kaart leek ({fields}) is verwijderd en niet bewaard. We hebben de beveiligingscode nooit nodig; stuur hem niet mee.',
  'incomplete.unreadableHeading': 'Bijlagen die we niet konden lezen',
  'incomplete.outro':
    'Beantwoord dit bericht (houd "[Case {caseNumber}]" in het onderwerp) met de gecorrigeerde of ontbrekende formulieren als bijlage. Formulieren die u al stuurde en in orde waren, blijven bewaard; stuur alleen wat hierboven staat.',

  'rejected.subject': 'Overdracht afgewezen',
  'rejected.intro': 'We kunnen het verzoek in zaak {caseNumber} niet uitvoeren.',
  'rejected.repReason': 'Een medewerker heeft de zaak bekeken en afgewezen: {reason}',
  'rejected.outro':
    'Aan deze regels valt niet te voldoen met gecorrigeerde formulieren in deze zaak. Er is niets overgezet en niets in rekening gebracht. Denkt u dat dit niet klopt, neem dan contact op met uw accountvertegenwoordiger en noem zaak {caseNumber}.',

  'finalSale.subject': 'Een SWAP kan niet worden terugbetaald of teruggedraaid',
  'finalSale.body':
    'We hebben uw verzoek over zaak {caseNumber} ontvangen. Een licentie-SWAP is na indiening onherroepelijk (SWP-2) en alle softwareverkopen zijn definitief (SWP-9): de desk kan hem niet terugbetalen, crediteren, intrekken of terugdraaien. Elk verzoek om creditering van licenties loopt via de procedure van de fabrikant; uw accountmanager vertelt u meer.',
  'finalSale.told': 'Een medewerker is op de hoogte gebracht van uw bericht.',

  'resend.subjectSeveral': 'Graag opnieuw sturen: uw onderwerp noemt meerdere zaaknummers',
  'resend.subjectNotOpen': 'Graag opnieuw sturen: zaak {caseNumber} is hier niet open',
  'resend.subjectNone': 'Graag opnieuw sturen met uw zaaknummer in het onderwerp',
  'resend.intro': 'We hebben uw bericht ontvangen maar konden het niet onderbrengen (DSK-1):',
  'resend.several': 'het onderwerp noemt meer dan één zaaknummer ({numbers}). Een bericht kan maar bij één zaak horen.',
  'resend.notOpen':
    'er is geen open zaak {caseNumber} bij deze desk (DSK-2). Open eerst de zaak met de systeemsleutel van het systeem waar de licenties naartoe gaan en stuur dan de formulieren opnieuw.',
  'resend.none': 'het onderwerp bevat geen zaaknummer.',
  'resend.openHere':
    'Een zaak opent u zelf (DSK-12) op {url}: geef uw geregistreerde adres en de systeemsleutel; het zaaknummer en de formulieren komen per e-mail.',
  'resend.howHeading': 'Zo stuurt u opnieuw',
  'resend.step1':
    'Beantwoord dit bericht, of schrijf een nieuw, met precies één zaaknummer in het onderwerp, bijvoorbeeld "Case 123456" of "[Case 123456]".',
  'resend.step2': 'Voeg de ingevulde formulieren bij (niet in een zip).',
  'resend.blankForms':
    'De lege formulieren van de desk voor uw programma’s zijn bijgevoegd, klaar om in te vullen (typ in de PDF, sla op, voeg bij):',
  'resend.nothingElse': 'Verder is er niets met uw bericht gedaan.',

  'tooLarge.subject': 'Uw bericht is te groot voor de licentiedesk',
  'tooLarge.subjectNamed': 'Uw bericht is te groot voor de licentiedesk: "{originalSubject}"',
  'tooLarge.body':
    'Uw bericht{named, select, yes { "{originalSubject}"} other {}}{dated, select, yes { van {originalDate}} other {}} was {sizeMb} MB; de licentiedesk neemt berichten tot {limitMb} MB ({limit} bytes) aan. Het is niet gelezen en er is niets mee gedaan.',
  'tooLarge.resend':
    'Stuur de ingevulde formulieren opnieuw als PDF-bijlagen zonder andere bestanden, met het zaaknummer in het onderwerp (bijvoorbeeld "Case 123456"). Verdeel ze zo nodig over meerdere berichten.',

  'unreadable.subject': 'De licentiedesk kon uw bericht niet lezen',
  'unreadable.body':
    'Het bericht dat u stuurde (deze e-mail beantwoordt het) kon niet worden gelezen; er is daarom niets mee gedaan.',
  'unreadable.resend':
    'Het is bewaard voor onze medewerkers. Stuur de ingevulde formulieren opnieuw als PDF-bijlagen, met het zaaknummer in het onderwerp (bijvoorbeeld "Case 123456").',

  'quarantined.subject': 'Uw bericht wordt bekeken',
  'quarantined.body':
    'We hebben uw bericht ontvangen. Het is doorgegeven aan onze medewerkers; u hoort van ons als er iets nodig is. Stuur het niet opnieuw.',

  'sold.subject': 'Licenties overgezet naar uw account',
  'sold.intro': 'Er zijn licenties overgezet naar uw account {toAccountId} vanaf {fromAccountId} (LVX-3):',

  'transferred.charges': 'Kosten',
  'transferred.chargesCard': 'Kosten (op de kaart eindigend op {last4})',
  'transferred.total': 'Totaal: {total}',
  'transferred.next': 'Volgende stappen',

  'caseOpened.subject': 'Zaak {caseNumber} is geopend: uw formulieren',
  'caseOpened.intro':
    'Zaak {caseNumber} is geopend voor systeem {systemKey}, zoals gevraagd op de pagina van de licentiedesk voor {email} (DSK-12).',
  'caseOpened.forms':
    '{count, plural, one {Het formulier van dit programma is} other {De formulieren van dit programma zijn}} bijgevoegd, vooraf ingevuld met het zaaknummer, uw bedrijf, uw adres, de eindklant en het doelsysteem. Vul de lege velden in, onderteken, sla op en voeg {count, plural, one {het} other {ze}} bij uw antwoord:',
  'caseOpened.outro':
    'Beantwoord dit bericht (houd "[Case {caseNumber}]" in het onderwerp) met de formulieren als bijlage. Een zaak die {days, plural, one {# dag} other {# dagen}} niets ontvangt, wordt gesloten (DSK-10).',

  'reminder.subject': 'Herinnering: zaak {caseNumber} wacht op uw formulieren',
  'reminder.intro':
    'Zaak {caseNumber} wacht nog op u (DSK-10). We kunnen de licenties pas overzetten als we het volgende hebben:',
  'reminder.forms': 'De formulieren die nog nodig zijn, zijn opnieuw bijgevoegd, vooraf ingevuld:',
  'reminder.closesAt': 'Zonder antwoord wordt de zaak gesloten op {when}.',
  'reminder.outro':
    'Beantwoord dit bericht (houd "[Case {caseNumber}]" in het onderwerp) met de formulieren als bijlage.',

  'caseClosed.subject': 'Zaak {caseNumber} is gesloten: geen antwoord',
  'caseClosed.intro':
    'Zaak {caseNumber} is gesloten omdat er {days, plural, one {# dag} other {# dagen}} niets binnenkwam (DSK-10). Er is niets overgezet en niets in rekening gebracht; meegestuurde kaartgegevens zijn verwijderd.',
  'caseClosed.again':
    'Om opnieuw te beginnen opent u een nieuwe zaak op {url} met de systeemsleutel: het nieuwe zaaknummer en de formulieren komen per e-mail.',

  'state.new': 'geopend: wacht op uw formulieren',
  'state.received': 'ontvangen: de desk leest uw formulieren',
  'state.waiting-partner': 'wacht op u: er ontbreken formulieren of velden',
  'state.held': 'bij een medewerker, die beslist',
  'state.approved': 'goedgekeurd: de licenties worden overgezet',
  'state.transferred': 'klaar: de licenties zijn overgezet',
  'state.follow-up': 'overgezet: wacht op de terugkeer van een fysieke sleutel',
  'state.billed': 'overgezet: een niet teruggestuurde sleutel is gefactureerd',
  'state.closed': 'gesloten: niets meer te doen',
  'state.rejected': 'afgewezen: niets overgezet',

  'outcome.pass': 'in orde',
  'outcome.fail': 'op te lossen',
  'outcome.hold': 'voor een medewerker',
  'outcome.info': 'opmerking',

  'status.title': 'Zaak {caseNumber}',
  'status.state': 'Stand: {state}',
  'status.waitsHeading': 'Waar de desk op wacht',
  'status.waits.partner': 'Op u: stuur wat onder "Ontbreekt of onjuist" staat.',
  'status.waits.rep': 'Op een medewerker, die over de zaak beslist.',
  'status.waits.desk': 'Op de desk zelf: de licenties worden overgezet.',
  'status.waits.reactivation': 'Op de heractivering van de oude machine {machineId} (AUD-2).',
  'status.waits.key': 'Op de terugkeer van de fysieke featuresleutel {fk}, verwacht op {when}.',
  'status.waits.nothing': 'Nergens op: de zaak is afgerond.',
  'status.findingsHeading': 'Ontbreekt of onjuist',
  'status.noFindings': 'Er ontbreekt niets en niets is onjuist.',
  'status.deadlineHeading': 'Termijn',
  'status.deadline': 'De licenties worden uiterlijk {when} overgezet.',
  'status.left':
    'Nog {hours, plural, one {# uur} other {# uur}} en {minutes, plural, one {# minuut} other {# minuten}}.',
  'status.passed': 'De termijn is verstreken; een medewerker is ingelicht.',
  'status.closesAt': 'Zonder antwoord wordt de zaak gesloten op {when}.',
  'status.feesHeading': 'Kosten',
  'status.feesCard': 'Op de kaart eindigend op {last4}.',
  'status.total': 'Totaal: {total}',
  'status.movesHeading': 'Overgezette licenties',
  'status.formsHeading': 'Formulieren die nog nodig zijn',
  'status.formsIntro':
    'Vooraf ingevuld met wat de desk weet: vul de lege velden in, onderteken en stuur ze terug met "[Case {caseNumber}]" in het onderwerp.',
  'status.private':
    'Deze pagina is alleen voor u: stuur de link niet door. Hij is te zien tot de zaak wordt verwijderd.',
  'status.updated': 'Stand van {when}.',

  'open.title': 'Een licentiezaak openen',
  'open.intro':
    'Geef het e-mailadres waaronder de desk u kent en de sleutel van het systeem waar de licenties naartoe gaan. Is dat adres een geregistreerd contact voor het systeem, dan gaan het zaaknummer en de formulieren naar dat adres.',
  'open.email': 'Uw e-mailadres',
  'open.system': 'Systeemsleutel (het systeem dat de licenties krijgt)',
  'open.softwareOnly': 'Alleen software-upgrade',
  'open.submit': 'Zaak openen',
  'open.done':
    'Als dit adres een geregistreerd contact voor dat systeem is, is het zaaknummer onderweg: kijk in uw postvak.',
  'open.limited': 'Te veel verzoeken vanaf hier. Probeer het over een uur opnieuw.',
};
