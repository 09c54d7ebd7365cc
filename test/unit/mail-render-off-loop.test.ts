/**
 * The HTML part made in its worker thread (mail/render-html-client.ts,
 * the template compiles never run on the desk's
 * event loop) is byte for byte what render-html.ts makes in-process, for
 * every kind; a request the thread cannot render fails that request only,
 * and the thread, once stopped, is started again by the next request.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { MAIL_KINDS, type MailKind } from '../../mail/mail-kinds.js';
import { closeHtmlRenderer, prepareHtmlOffLoop, renderHtmlOffLoop } from '../../mail/render-html-client.js';
import { renderHtml } from '../../mail/render-html.js';
import { renderMail } from '../../mail/render.js';

const data = {
  caseNumber: '100002',
  program: 'altigen',
  from: 'SYS-0001',
  to: 'SYS-0003',
  moves: [],
  fees: [],
  disabled: [],
  keyFollowUps: [],
  failing: [
    {
      rule: 'ALT-6',
      outcome: 'fail',
      message: 'We have not received <script>alert(1)</script> the form',
      fix: 'Send it',
    },
  ],
  holding: [],
  originalSubject: 'Case 100002 <b>now</b>',
  attachments: [],
  lines: [],
  conversions: [],
  accountTransfers: [],
  deadline: '2026-12-07T09:30:00.000Z',
};

afterAll(() => closeHtmlRenderer());

describe('mail HTML rendered off the event loop', () => {
  it('prepares (the layout and every template) in the thread', async () => {
    await expect(prepareHtmlOffLoop()).resolves.toBeUndefined();
  });

  it.each(Object.keys(MAIL_KINDS) as MailKind[])(
    '%s: the thread renders exactly what render-html.ts renders in-process',
    async (kind) => {
      const { subject } = renderMail(kind, data, '100002');
      const offLoop = await renderHtmlOffLoop(kind, data, subject, '100002');
      expect(offLoop).toBe(await renderHtml(kind, data, subject, '100002'));
      expect(offLoop).toMatch(/^<!doctype html>/i);
    },
  );

  it('a kind the thread has no template for fails that request only; a stopped thread is started again by the next request', async () => {
    await expect(renderHtmlOffLoop('no-such-kind' as MailKind, data, 'x')).rejects.toThrow(
      /rendering a mail's HTML failed/,
    );
    const { subject } = renderMail('incomplete', data, '100002');
    await closeHtmlRenderer();
    expect(await renderHtmlOffLoop('incomplete', data, subject, '100002')).toBe(
      await renderHtml('incomplete', data, subject, '100002'),
    );
  });
});
