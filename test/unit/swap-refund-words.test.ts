import { describe, expect, it } from 'vitest';
import { avayaSwap } from '../../domain/programs/avaya-swap/program.js';

describe('SWP-9 refund and undo requests in every partner language', () => {
  it.each([
    ['en', 'Please refund the service fee for this SWAP.'],
    ['de', 'Wir bitten um eine Gutschrift für diesen Fall.'],
    ['de', 'Bitte um Rückerstattung der Gebühr.'],
    ['de', 'Können Sie den SWAP rückgängig machen?'],
    ['fr', 'Nous demandons le remboursement des frais.'],
    ['fr', 'Merci d’annuler ce SWAP.'],
    ['es', 'Solicitamos el reembolso de la tarifa.'],
    ['es', 'Por favor, anular la operación.'],
    ['it', 'Chiediamo il rimborso del costo.'],
    ['it', 'Vorremmo annullare lo SWAP.'],
    ['nl', 'Graag een terugbetaling van de kosten.'],
    ['nl', 'Kunt u de SWAP ongedaan maken?'],
  ])('SWP-9 (%s) "%s" is answered final-sale', (_lang, text) => {
    expect(avayaSwap.answersMail(text)?.kind).toBe('final-sale');
  });

  it.each([
    'Forms attached.',
    'Anbei die ausgefüllten Formulare.',
    'Veuillez trouver ci-joint les formulaires.',
    'Adjuntamos los formularios.',
    'In allegato i moduli compilati.',
    'Bijgaand de ingevulde formulieren.',
  ])('SWP-9 an ordinary mail "%s" is not a refund request', (text) => {
    expect(avayaSwap.answersMail(text)).toBeUndefined();
  });
});
