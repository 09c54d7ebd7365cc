/** Español. Same keys and placeholders as en.ts. */
import type { Catalogue } from './en.js';

export const es: Catalogue = {
  'mail.hello': 'Hola:',
  'mail.signature': 'La mesa de licencias (mensaje automático)',
  'mail.statusLine': 'Estado del caso, en cualquier momento y sin iniciar sesión: {url}',
  'layout.brand': 'Mesa de licencias',
  'layout.brandCase': 'Mesa de licencias · Caso {caseNumber}',
  'layout.footer': 'Un mensaje automático de la mesa de licencias.',
  'layout.footerCase':
    'Un mensaje automático de la mesa de licencias. Responda manteniendo "[Case {caseNumber}]" en el asunto.',
  'layout.statusButton': 'Ver el estado del caso {caseNumber}',

  'incomplete.subject': 'Formularios incompletos: lo que aún necesitamos',
  'incomplete.intro':
    'Gracias por sus formularios del caso {caseNumber}. Todavía no podemos transferir las licencias (DSK-6).',
  'incomplete.missingHeading': 'Lo que falta o hay que corregir',
  'incomplete.toFix': 'Para corregirlo: {fix}',
  'incomplete.formsText':
    'Adjuntos, rellenados con lo que sabemos del caso y de sus formularios (complete los campos vacíos, guarde y adjúntelos a su respuesta):',
  'incomplete.formsHeading': 'Sus formularios, adjuntos y rellenados',
  'incomplete.formsHtml':
    'Adjuntamos {count, plural, one {el formulario que aún se necesita} other {los formularios que aún se necesitan}}, ya con lo que sabemos del caso y de sus formularios. {count, plural, one {Ábralo} other {Abra cada uno}}, complete los campos vacíos, guarde y {count, plural, one {adjúntelo} other {adjúntelos}} a su respuesta.',
  'incomplete.leftEmpty': 'Vacío porque lo enviado no se pudo usar: {fields}',
  'incomplete.cardFields': 'Nunca rellenamos los datos de la tarjeta: {fields}',
  'incomplete.discarded':
    'Se eliminó sin guardarlo un campo que parecía un código de seguridad de tarjeta ({fields}). Nunca necesitamos ese código; no lo envíe.',
  'incomplete.unreadableHeading': 'Adjuntos que no pudimos leer',
  'incomplete.outro':
    'Responda a este mensaje (mantenga "[Case {caseNumber}]" en el asunto) con los formularios corregidos o que faltan. Los formularios correctos ya enviados se conservan; solo envíe lo indicado arriba.',

  'rejected.subject': 'Transferencia rechazada',
  'rejected.intro': 'No podemos tramitar la solicitud del caso {caseNumber}.',
  'rejected.repReason': 'Un representante revisó el caso y lo rechazó: {reason}',
  'rejected.outro':
    'Estas reglas no se pueden cumplir enviando formularios corregidos en este caso. No se ha transferido ni cobrado nada. Si cree que es un error, contacte con su representante indicando el caso {caseNumber}.',

  'finalSale.subject': 'Un SWAP no se puede reembolsar ni deshacer',
  'finalSale.body':
    'Hemos recibido su solicitud sobre el caso {caseNumber}. Un SWAP de licencias es irrevocable una vez enviado (SWP-2) y todas las ventas de software son definitivas (SWP-9): la mesa no puede reembolsarlo, abonarlo, anularlo ni revertirlo. Cualquier solicitud de abono de licencias sigue el proceso del fabricante; su gestor de cuenta le informará.',
  'finalSale.told': 'Se ha informado a un representante de su mensaje.',

  'resend.subjectSeveral': 'Reenvíe, por favor: su asunto cita varios números de caso',
  'resend.subjectNotOpen': 'Reenvíe, por favor: el caso {caseNumber} no está abierto aquí',
  'resend.subjectNone': 'Reenvíe, por favor, con su número de caso en el asunto',
  'resend.intro': 'Recibimos su mensaje pero no pudimos archivarlo (DSK-1):',
  'resend.several': 'su asunto cita más de un número de caso ({numbers}). Un mensaje solo puede pertenecer a un caso.',
  'resend.notOpen':
    'no hay ningún caso {caseNumber} abierto en esta mesa (DSK-2). Abra primero el caso con la clave del sistema al que van las licencias y luego envíe de nuevo los formularios.',
  'resend.none': 'su asunto no tiene número de caso.',
  'resend.openHere':
    'Para abrir un caso usted mismo (DSK-12), vaya a {url}: indique su dirección registrada y la clave del sistema; el número de caso y los formularios le llegan por correo.',
  'resend.howHeading': 'Cómo reenviar',
  'resend.step1':
    'Responda a este mensaje, o escriba uno nuevo, con exactamente un número de caso en el asunto, por ejemplo "Case 123456" o "[Case 123456]".',
  'resend.step2': 'Adjunte los formularios rellenados (no en un zip).',
  'resend.blankForms':
    'Adjuntamos los formularios en blanco de sus programas, listos para rellenar (escriba en el PDF, guárdelo y adjúntelo):',
  'resend.nothingElse': 'No se hizo nada más con su mensaje.',

  'tooLarge.subject': 'Su mensaje es demasiado grande para la mesa de licencias',
  'tooLarge.subjectNamed': 'Su mensaje es demasiado grande para la mesa de licencias: "{originalSubject}"',
  'tooLarge.body':
    'Su mensaje{named, select, yes { "{originalSubject}"} other {}}{dated, select, yes { del {originalDate}} other {}} ocupaba {sizeMb} MB; la mesa acepta mensajes de hasta {limitMb} MB ({limit} bytes). No se leyó y no se hizo nada con él.',
  'tooLarge.resend':
    'Envíe de nuevo los formularios rellenados como adjuntos PDF sin otros archivos, con el número de caso en el asunto (por ejemplo "Case 123456"). Si hace falta, repártalos en varios mensajes.',

  'unreadable.subject': 'La mesa de licencias no pudo leer su mensaje',
  'unreadable.body': 'El mensaje que envió (este correo le responde) no se pudo leer, así que no se hizo nada con él.',
  'unreadable.resend':
    'Se ha guardado para nuestro equipo. Envíe de nuevo los formularios rellenados como adjuntos PDF, con el número de caso en el asunto (por ejemplo "Case 123456").',

  'quarantined.subject': 'Su mensaje se está revisando',
  'quarantined.body':
    'Hemos recibido su mensaje. Lo revisará nuestro equipo; le escribiremos si se necesita algo. No lo reenvíe, por favor.',

  'sold.subject': 'Licencias transferidas a su cuenta',
  'sold.intro': 'Se transfirieron licencias a su cuenta {toAccountId} desde {fromAccountId} (LVX-3):',

  'transferred.charges': 'Cargos',
  'transferred.chargesCard': 'Cargos (a la tarjeta terminada en {last4})',
  'transferred.total': 'Total: {total}',
  'transferred.next': 'Próximos pasos',

  'caseOpened.subject': 'El caso {caseNumber} está abierto: sus formularios',
  'caseOpened.intro':
    'El caso {caseNumber} está abierto para el sistema {systemKey}, como se pidió en la página de la mesa de licencias para {email} (DSK-12).',
  'caseOpened.forms':
    '{count, plural, one {Adjuntamos el formulario de este programa, rellenado} other {Adjuntamos los formularios de este programa, rellenados}} con el número de caso, su empresa, su dirección, el cliente final y el sistema de destino. Complete los campos vacíos, firme, guarde y {count, plural, one {adjúntelo} other {adjúntelos}} a su respuesta:',
  'caseOpened.outro':
    'Responda a este mensaje (mantenga "[Case {caseNumber}]" en el asunto) con los formularios adjuntos. Un caso que no recibe nada en {days, plural, one {# día} other {# días}} se cierra (DSK-10).',

  'reminder.subject': 'Recordatorio: el caso {caseNumber} espera sus formularios',
  'reminder.intro': 'El caso {caseNumber} sigue esperándole (DSK-10). No podemos transferir las licencias hasta tener:',
  'reminder.forms': 'Los formularios que aún se necesitan van adjuntos de nuevo, rellenados:',
  'reminder.closesAt': 'Sin respuesta, el caso se cierra el {when}.',
  'reminder.outro':
    'Responda a este mensaje (mantenga "[Case {caseNumber}]" en el asunto) con los formularios adjuntos.',

  'caseClosed.subject': 'El caso {caseNumber} está cerrado: sin respuesta',
  'caseClosed.intro':
    'El caso {caseNumber} se cerró porque no llegó nada en {days, plural, one {# día} other {# días}} (DSK-10). No se transfirió ni cobró nada; los datos de tarjeta enviados se han borrado.',
  'caseClosed.again':
    'Para empezar de nuevo, abra un caso nuevo en {url} con la clave del sistema: el nuevo número de caso y los formularios le llegan por correo.',

  'state.new': 'abierto: esperando sus formularios',
  'state.received': 'recibido: la mesa está leyendo sus formularios',
  'state.waiting-partner': 'esperándole: faltan formularios o campos',
  'state.held': 'con un representante, que decide',
  'state.approved': 'aprobado: las licencias se están transfiriendo',
  'state.transferred': 'hecho: las licencias se transfirieron',
  'state.follow-up': 'transferido: esperando que se devuelva una clave física',
  'state.billed': 'transferido: se facturó una clave no devuelta',
  'state.closed': 'cerrado: no queda nada por hacer',
  'state.rejected': 'rechazado: no se transfirió nada',

  'outcome.pass': 'correcto',
  'outcome.fail': 'por corregir',
  'outcome.hold': 'para un representante',
  'outcome.info': 'nota',

  'status.title': 'Caso {caseNumber}',
  'status.state': 'Estado: {state}',
  'status.waitsHeading': 'Lo que espera la mesa',
  'status.waits.partner': 'A usted: envíe lo indicado en "Falta o es incorrecto".',
  'status.waits.rep': 'A un representante, que decide sobre el caso.',
  'status.waits.desk': 'A la propia mesa: las licencias se están transfiriendo.',
  'status.waits.reactivation': 'La reactivación de la máquina antigua {machineId} (AUD-2).',
  'status.waits.key': 'Que se devuelva la clave física {fk}, prevista para el {when}.',
  'status.waits.nothing': 'Nada: el caso ha terminado.',
  'status.findingsHeading': 'Falta o es incorrecto',
  'status.noFindings': 'No falta nada y nada es incorrecto.',
  'status.deadlineHeading': 'Plazo',
  'status.deadline': 'Las licencias se transfieren antes del {when}.',
  'status.left':
    'Quedan {hours, plural, one {# hora} other {# horas}} y {minutes, plural, one {# minuto} other {# minutos}}.',
  'status.passed': 'El plazo ha vencido; se ha avisado a un representante.',
  'status.closesAt': 'Sin respuesta, el caso se cierra el {when}.',
  'status.feesHeading': 'Cargos',
  'status.feesCard': 'A la tarjeta terminada en {last4}.',
  'status.total': 'Total: {total}',
  'status.movesHeading': 'Licencias transferidas',
  'status.formsHeading': 'Formularios que aún se necesitan',
  'status.formsIntro':
    'Rellenados con lo que sabe la mesa: complete los campos vacíos, firme y envíelos con "[Case {caseNumber}]" en el asunto.',
  'status.private': 'Esta página es solo para usted: no reenvíe su enlace. Se muestra hasta que se borra el caso.',
  'status.updated': 'Estado a {when}.',

  'open.title': 'Abrir un caso de licencias',
  'open.intro':
    'Indique la dirección de correo con la que le conoce la mesa y la clave del sistema al que van las licencias. Si esa dirección es un contacto registrado del sistema, se le envían el número de caso y los formularios.',
  'open.email': 'Su dirección de correo',
  'open.system': 'Clave del sistema (el que recibe las licencias)',
  'open.softwareOnly': 'Solo actualización de software',
  'open.submit': 'Abrir el caso',
  'open.done':
    'Si esta dirección es un contacto registrado de ese sistema, el número de caso ya va de camino: mire su buzón.',
  'open.limited': 'Demasiadas solicitudes desde aquí. Inténtelo de nuevo dentro de una hora.',
};
