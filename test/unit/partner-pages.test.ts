import { describe, expect, it } from 'vitest';
import { renderOpenPage, renderStatusPage } from '../../console/partner-pages.js';
import type { CaseStatus } from '../../workers/actions/case-status.js';

const now = new Date('2026-12-07T10:00:00Z');
const base: CaseStatus = {
  number: '100123',
  state: 'held',
  deadlineAt: '2026-12-07T15:30:00Z',
  findings: [
    { rule: 'ALT-5', outcome: 'pass', message: 'fine' },
    { rule: 'DSK-7', outcome: 'hold', message: 'A rep must <look>.' },
  ],
  fees: [{ rule: 'ALT-4', amount: '1234.50', currency: 'EUR', description: 'Transfer fee' }],
  cardLast4: '1111',
  moves: [],
  waitsFor: [{ who: 'rep' }],
  locale: { language: 'de', timeZone: 'Europe/Berlin' },
  forms: { data: {}, build: async () => [] },
};

describe("the partner's status page", () => {
  it("DSK-12 counts the deadline down in the partner's zone and language, reloading itself each minute, without a script", () => {
    const html = renderStatusPage(base, now, (f) => `/x/${f}`);
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('7. Dezember 2026 um 16:30 (Europe/Berlin)');
    expect(html).toContain('Noch 5 Stunden und 30 Minuten.');
    expect(html).toContain('<meta http-equiv="refresh" content="60">');
    expect(html).toContain('Auf einen Mitarbeiter');
    expect(html).toMatch(/1\.234,50\s€/);
    expect(html).toContain('Von der Karte mit der Endung 1111.');
    expect(html).not.toMatch(/<script/i);
    // Only what is missing or failing is listed, by rule ID; partners' and rules' words are escaped.
    expect(html).toContain('DSK-7');
    expect(html).not.toContain('ALT-5');
    expect(html).toContain('A rep must &lt;look&gt;.');
  });

  it('DSK-12 a passed deadline is said, and the page no longer reloads', () => {
    const html = renderStatusPage({ ...base, deadlineAt: '2026-12-07T09:00:00Z' }, now, (f) => f);
    expect(html).toContain('Die Frist ist abgelaufen');
    expect(html).not.toContain('http-equiv="refresh"');
  });

  it("SWP-6 AUD-2 what the desk waits for: a key's return, a machine's reactivation", () => {
    const html = renderStatusPage(
      {
        ...base,
        state: 'follow-up',
        deadlineAt: null,
        locale: { language: 'fr', timeZone: 'Europe/Paris' },
        waitsFor: [
          { who: 'key', fk: 'FK-3003', dueAt: '2026-12-14T10:00:00Z' },
          { who: 'reactivation', machineId: 'M-0001' },
        ],
      },
      now,
      (f) => f,
    );
    expect(html).toContain('Le retour de la clé physique FK-3003, attendu le 14 décembre 2026');
    expect(html).toContain('(Europe/Paris)');
    expect(html).toContain('La réactivation de l’ancienne machine M-0001 (AUD-2).');
  });

  it('DSK-12 the /open page in each language the browser may ask for, with its CSRF token', () => {
    expect(renderOpenPage({ language: 'nl', timeZone: 'UTC' }, { csrf: 'tok"<' })).toContain(
      'name="_csrf" value="tok&quot;&lt;"',
    );
    expect(renderOpenPage({ language: 'it', timeZone: 'UTC' }, { csrf: 't' })).toContain(
      'Aprire una pratica di licenze',
    );
    expect(renderOpenPage({ language: 'es', timeZone: 'UTC' }, { csrf: 't', done: true })).toContain(
      'el número de caso ya va de camino',
    );
  });
});

describe('partner mail in its language, with its links', () => {
  it('DSK-12 resend-instructions says where to open a case; the status link sits in the text and the HTML; no "not scans"', async () => {
    const { renderMail } = await import('../../mail/render.js');
    const { renderHtml } = await import('../../mail/render-html.js');
    const data = {
      caseNumber: '7777777',
      openUrl: 'https://desk.example/open',
      locale: { language: 'de', timeZone: 'Europe/Berlin' },
    };
    const resend = renderMail('resend-instructions', data);
    expect(resend.subject).toBe('Bitte erneut senden: Fall 7777777 ist hier nicht offen');
    expect(resend.text).toContain('https://desk.example/open');
    expect(resend.text).not.toMatch(/scan/i);
    const url = 'https://desk.example/status/100123.b3BzQGFjbWUuZXhhbXBsZQ.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const mail = { caseNumber: '100123', statusUrl: url, locale: { language: 'fr', timeZone: 'Europe/Paris' } };
    const finalSale = renderMail('final-sale', mail, '100123');
    expect(finalSale.subject).toBe('[Case 100123] Un SWAP ne peut être ni remboursé ni annulé');
    expect(finalSale.text).toContain(`Où en est le dossier, à tout moment et sans connexion : ${url}`);
    expect(finalSale.text.indexOf(url)).toBeLessThan(finalSale.text.indexOf('\n-- \n'));
    const html = await renderHtml('final-sale', mail, finalSale.subject, '100123');
    expect(html).toContain(`href="${url}"`);
    expect(html).toContain('<html lang="fr"');
    expect(html).toContain('Voir où en est le dossier 100123');
    expect(html).not.toMatch(/not scans/);
  });

  it("reps' mail stays English and UTC, whatever locale its data carries", async () => {
    const { renderHtml } = await import('../../mail/render-html.js');
    const html = await renderHtml(
      'rep-held',
      { holding: [], locale: { language: 'de', timeZone: 'Europe/Berlin' }, statusUrl: 'https://x.example/s' },
      '[Case 1] held',
      '1',
    );
    expect(html).toContain('<html lang="en"');
    expect(html).not.toContain('https://x.example/s');
    expect(html).toContain('Sent by the license desk to its staff.');
  });
});
