/** Français. Same keys and placeholders as en.ts (apostrophes typographiques : l’ICU réserve l’apostrophe droite). */
import type { Catalogue } from './en.js';

export const fr: Catalogue = {
  'mail.hello': 'Bonjour,',
  'mail.signature': 'Le guichet des licences (message automatique)',
  'mail.statusLine': 'Où en est le dossier, à tout moment et sans connexion : {url}',
  'layout.brand': 'Guichet des licences',
  'layout.brandCase': 'Guichet des licences · Dossier {caseNumber}',
  'layout.footer': 'Un message automatique du guichet des licences.',
  'layout.footerCase':
    'Un message automatique du guichet des licences. Répondez-y en gardant "[Case {caseNumber}]" dans l’objet.',
  'layout.statusButton': 'Voir où en est le dossier {caseNumber}',

  'incomplete.subject': 'Formulaires incomplets : ce qu’il nous faut encore',
  'incomplete.intro':
    'Merci pour vos formulaires du dossier {caseNumber}. Nous ne pouvons pas encore transférer les licences (DSK-6).',
  'incomplete.missingHeading': 'Ce qui manque ou doit être corrigé',
  'incomplete.toFix': 'Pour corriger : {fix}',
  'incomplete.formsText':
    'En pièce jointe, pré-remplis avec ce que nous savons du dossier et de vos formulaires (remplissez les champs vides, enregistrez et joignez-les à votre réponse) :',
  'incomplete.formsHeading': 'Vos formulaires, joints et pré-remplis',
  'incomplete.formsHtml':
    'Nous avons joint {count, plural, one {le formulaire encore nécessaire} other {les formulaires encore nécessaires}}, déjà rempli{count, plural, one {} other {s}} avec ce que nous savons du dossier et de vos formulaires. Ouvrez-{count, plural, one {le} other {les}}, remplissez les champs vides, enregistrez et joignez-{count, plural, one {le} other {les}} à votre réponse.',
  'incomplete.leftEmpty': 'Laissé vide car la valeur envoyée n’était pas utilisable : {fields}',
  'incomplete.cardFields': 'Nous ne remplissons jamais les données de carte : {fields}',
  'incomplete.discarded':
    'Un champ qui ressemblait à un cryptogramme de carte ({fields}) a été supprimé et n’a pas été conservé. Nous n’avons jamais besoin du cryptogramme ; merci de ne pas l’envoyer.',
  'incomplete.unreadableHeading': 'Pièces jointes illisibles',
  'incomplete.outro':
    'Répondez à ce message (gardez "[Case {caseNumber}]" dans l’objet) en joignant les formulaires corrigés ou manquants. Les formulaires déjà envoyés et corrects sont conservés ; n’envoyez que ce qui est indiqué ci-dessus.',

  'rejected.subject': 'Transfert refusé',
  'rejected.intro': 'Nous ne pouvons pas donner suite à la demande du dossier {caseNumber}.',
  'rejected.repReason': 'Un représentant a examiné le dossier et l’a refusé : {reason}',
  'rejected.outro':
    'Ces règles ne peuvent pas être satisfaites en envoyant des formulaires corrigés sur ce dossier. Rien n’a été transféré ni facturé. Si vous pensez qu’il s’agit d’une erreur, contactez votre représentant en citant le dossier {caseNumber}.',

  'finalSale.subject': 'Un SWAP ne peut être ni remboursé ni annulé',
  'finalSale.body':
    'Nous avons reçu votre demande concernant le dossier {caseNumber}. Un SWAP de licences est irrévocable une fois soumis (SWP-2) et toutes les ventes de logiciels sont définitives (SWP-9) : le guichet ne peut ni le rembourser, ni émettre d’avoir, ni l’annuler, ni revenir dessus. Toute demande d’avoir sur des licences passe par la procédure du fabricant ; votre responsable de compte pourra vous renseigner.',
  'finalSale.told': 'Un représentant a été informé de votre message.',

  'resend.subjectSeveral': 'Merci de renvoyer : votre objet cite plusieurs numéros de dossier',
  'resend.subjectNotOpen': 'Merci de renvoyer : le dossier {caseNumber} n’est pas ouvert ici',
  'resend.subjectNone': 'Merci de renvoyer avec votre numéro de dossier dans l’objet',
  'resend.intro': 'Nous avons reçu votre message mais n’avons pas pu le classer (DSK-1) :',
  'resend.several':
    'son objet cite plus d’un numéro de dossier ({numbers}). Un message ne peut appartenir qu’à un seul dossier.',
  'resend.notOpen':
    'il n’y a pas de dossier {caseNumber} ouvert à ce guichet (DSK-2). Ouvrez d’abord le dossier avec la clé du système vers lequel les licences sont transférées, puis renvoyez les formulaires.',
  'resend.none': 'son objet ne contient pas de numéro de dossier.',
  'resend.openHere':
    'Pour ouvrir vous-même un dossier (DSK-12), rendez-vous sur {url} : indiquez votre adresse enregistrée et la clé du système ; le numéro de dossier et les formulaires vous parviennent par e-mail.',
  'resend.howHeading': 'Comment renvoyer',
  'resend.step1':
    'Répondez à ce message, ou écrivez-en un nouveau, avec exactement un numéro de dossier dans l’objet, par exemple "Case 123456" ou "[Case 123456]".',
  'resend.step2': 'Joignez les formulaires remplis (pas dans un zip).',
  'resend.blankForms':
    'Les formulaires vierges du guichet pour vos programmes sont joints, prêts à remplir (saisissez dans le PDF, enregistrez, joignez) :',
  'resend.nothingElse': 'Rien d’autre n’a été fait de votre message.',

  'tooLarge.subject': 'Votre message est trop volumineux pour le guichet des licences',
  'tooLarge.subjectNamed': 'Votre message est trop volumineux pour le guichet des licences : "{originalSubject}"',
  'tooLarge.body':
    'Votre message{named, select, yes { "{originalSubject}"} other {}}{dated, select, yes { du {originalDate}} other {}} faisait {sizeMb} Mo ; le guichet accepte des messages jusqu’à {limitMb} Mo ({limit} octets). Il n’a pas été lu et rien n’en a été fait.',
  'tooLarge.resend':
    'Merci de renvoyer les formulaires remplis en pièces jointes PDF sans autres fichiers, avec le numéro de dossier dans l’objet (par exemple "Case 123456"). Si nécessaire, répartissez-les sur plusieurs messages.',

  'unreadable.subject': 'Votre message n’a pas pu être lu par le guichet des licences',
  'unreadable.body':
    'Le message que vous avez envoyé (ce courriel y répond) n’a pas pu être lu ; rien n’en a donc été fait.',
  'unreadable.resend':
    'Il a été conservé pour notre équipe. Merci de renvoyer les formulaires remplis en pièces jointes PDF, avec le numéro de dossier dans l’objet (par exemple "Case 123456").',

  'quarantined.subject': 'Votre message est en cours d’examen',
  'quarantined.body':
    'Nous avons reçu votre message. Il a été transmis à notre équipe pour examen ; nous reviendrons vers vous si quelque chose est nécessaire. Merci de ne pas le renvoyer.',

  'sold.subject': 'Licences transférées sur votre compte',
  'sold.intro': 'Des licences ont été transférées sur votre compte {toAccountId} depuis {fromAccountId} (LVX-3) :',

  'transferred.charges': 'Frais',
  'transferred.chargesCard': 'Frais (sur la carte se terminant par {last4})',
  'transferred.total': 'Total : {total}',
  'transferred.next': 'Prochaines étapes',

  'caseOpened.subject': 'Le dossier {caseNumber} est ouvert : vos formulaires',
  'caseOpened.intro':
    'Le dossier {caseNumber} est ouvert pour le système {systemKey}, comme demandé sur la page du guichet des licences pour {email} (DSK-12).',
  'caseOpened.forms':
    '{count, plural, one {Le formulaire de ce programme est joint, pré-rempli} other {Les formulaires de ce programme sont joints, pré-remplis}} avec le numéro de dossier, votre société, votre adresse, le client final et le système cible. Remplissez les champs vides, signez, enregistrez et joignez-{count, plural, one {le} other {les}} à votre réponse :',
  'caseOpened.outro':
    'Répondez à ce message (gardez "[Case {caseNumber}]" dans l’objet) en joignant les formulaires. Un dossier qui ne reçoit rien pendant {days, plural, one {# jour} other {# jours}} est clos (DSK-10).',

  'reminder.subject': 'Rappel : le dossier {caseNumber} attend vos formulaires',
  'reminder.intro':
    'Le dossier {caseNumber} vous attend toujours (DSK-10). Nous ne pouvons transférer les licences qu’une fois reçu :',
  'reminder.forms': 'Les formulaires encore nécessaires sont de nouveau joints, pré-remplis :',
  'reminder.closesAt': 'Sans réponse, le dossier sera clos le {when}.',
  'reminder.outro': 'Répondez à ce message (gardez "[Case {caseNumber}]" dans l’objet) en joignant les formulaires.',

  'caseClosed.subject': 'Le dossier {caseNumber} est clos : pas de réponse',
  'caseClosed.intro':
    'Le dossier {caseNumber} a été clos car rien n’est arrivé pendant {days, plural, one {# jour} other {# jours}} (DSK-10). Rien n’a été transféré ni facturé ; les données de carte envoyées sont supprimées.',
  'caseClosed.again':
    'Pour recommencer, ouvrez un nouveau dossier sur {url} avec la clé du système : le nouveau numéro de dossier et les formulaires vous parviennent par e-mail.',

  'state.new': 'ouvert : en attente de vos formulaires',
  'state.received': 'reçu : le guichet lit vos formulaires',
  'state.waiting-partner': 'en attente de votre part : des formulaires ou des champs manquent',
  'state.held': 'chez un représentant, qui décide',
  'state.approved': 'approuvé : les licences sont en cours de transfert',
  'state.transferred': 'terminé : les licences ont été transférées',
  'state.follow-up': 'transféré : en attente du retour d’une clé physique',
  'state.billed': 'transféré : une clé non retournée a été facturée',
  'state.closed': 'clos : plus rien à faire',
  'state.rejected': 'refusé : rien n’a été transféré',

  'outcome.pass': 'correct',
  'outcome.fail': 'à corriger',
  'outcome.hold': 'pour un représentant',
  'outcome.info': 'remarque',

  'status.title': 'Dossier {caseNumber}',
  'status.state': 'État : {state}',
  'status.waitsHeading': 'Ce que le guichet attend',
  'status.waits.partner': 'Vous : envoyez ce qui figure sous "Manquant ou incorrect".',
  'status.waits.rep': 'Un représentant, qui décide du dossier.',
  'status.waits.desk': 'Le guichet lui-même : les licences sont en cours de transfert.',
  'status.waits.reactivation': 'La réactivation de l’ancienne machine {machineId} (AUD-2).',
  'status.waits.key': 'Le retour de la clé physique {fk}, attendu le {when}.',
  'status.waits.nothing': 'Rien : le dossier est terminé.',
  'status.findingsHeading': 'Manquant ou incorrect',
  'status.noFindings': 'Rien ne manque et rien n’est incorrect.',
  'status.deadlineHeading': 'Échéance',
  'status.deadline': 'Les licences sont transférées au plus tard le {when}.',
  'status.left':
    'Encore {hours, plural, one {# heure} other {# heures}} et {minutes, plural, one {# minute} other {# minutes}}.',
  'status.passed': 'L’échéance est dépassée ; un représentant a été prévenu.',
  'status.closesAt': 'Sans réponse, le dossier sera clos le {when}.',
  'status.feesHeading': 'Frais',
  'status.feesCard': 'Sur la carte se terminant par {last4}.',
  'status.total': 'Total : {total}',
  'status.movesHeading': 'Licences transférées',
  'status.formsHeading': 'Formulaires encore nécessaires',
  'status.formsIntro':
    'Pré-remplis avec ce que sait le guichet : remplissez les champs vides, signez et renvoyez-les avec "[Case {caseNumber}]" dans l’objet.',
  'status.private':
    'Cette page est réservée à vous : ne transférez pas son lien. Elle reste affichée jusqu’à la suppression du dossier.',
  'status.updated': 'État au {when}.',

  'open.title': 'Ouvrir un dossier de licences',
  'open.intro':
    'Indiquez l’adresse e-mail sous laquelle le guichet vous connaît et la clé du système vers lequel les licences sont transférées. Si cette adresse est un contact enregistré pour ce système, le numéro de dossier et les formulaires lui sont envoyés.',
  'open.email': 'Votre adresse e-mail',
  'open.system': 'Clé du système (celui qui reçoit les licences)',
  'open.softwareOnly': 'Mise à niveau logicielle uniquement',
  'open.submit': 'Ouvrir le dossier',
  'open.done':
    'Si cette adresse est un contact enregistré pour ce système, le numéro de dossier est en route : consultez votre boîte de réception.',
  'open.limited': 'Trop de demandes depuis cet endroit. Réessayez dans une heure.',
};
