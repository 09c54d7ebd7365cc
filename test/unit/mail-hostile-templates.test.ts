/** The wording of the mail that strangers' mail can cause: the reps' digest, too-large, resend-instructions. */
import { describe, expect, it } from 'vitest';
import { renderMail } from '../../mail/render.js';
import { digestKind } from '../../workers/notify/quarantine-digest.js';

const notice = (i: number) => ({
  from: `s${i}@evil.example`,
  originalSubject: `Case 200002 try ${i}`,
  reason: 'unknown sender',
  detail: 'not a contact',
  messageId: `<m${i}@evil.example>`,
  id: `id${i}`,
  at: '2025-06-15T10:00:00.000Z',
});

describe("reps' quarantine digest", () => {
  it('lists every collected notice and says how many more were not listed', () => {
    const { subject, text } = renderMail('rep-quarantine', {
      digest: true,
      reason: 'unknown sender',
      count: 57,
      more: 7,
      items: Array.from({ length: 50 }, (_, i) => notice(i)),
      windowMinutes: 10,
    });
    expect(subject).toBe('57 messages quarantined: unknown sender');
    expect(text.match(/^From: {4}s\d+@evil\.example$/gm)).toHaveLength(50);
    expect(text).toContain('... and 7 more');
    expect(text).toContain('every 10 minutes');
  });

  it('a digest of one reads in the singular', () => {
    const { subject, text } = renderMail('rep-quarantine', {
      digest: true,
      reason: 'too large',
      count: 1,
      more: 0,
      items: [notice(1)],
      windowMinutes: 10,
    });
    expect(subject).toBe('1 message quarantined: too large');
    expect(text).toMatch(/^1 message was quarantined \(too large\) and needs a rep/);
    expect(text).not.toContain('more, not listed');
  });

  it('a kind is named after its reason', () => {
    expect(digestKind('unknown sender')).toBe('unknown-sender');
    expect(digestKind('sender not authenticated')).toBe('sender-not-authenticated');
    expect(digestKind('too large')).toBe('too-large');
  });
});

describe('answers to senders', () => {
  it('too-large names the refused message and its case', () => {
    const { subject, text } = renderMail('too-large', {
      size: 2e6,
      limit: 1048576,
      sizeMb: '1.9',
      limitMb: '1.0',
      subjectCase: '200005',
      originalSubject: 'Case 200005 scans',
      originalDate: 'Tue, 03 Jun 2025 09:15:00 GMT',
    });
    expect(subject).toBe('[Case 200005] Your message is too large for the license desk: "Case 200005 scans"');
    expect(text).toContain('Your message "Case 200005 scans" of Tue, 03 Jun 2025 09:15:00 GMT was 1.9 MB');
  });

  it('resend-instructions never repeats what the sender wrote', () => {
    const { subject, text } = renderMail('resend-instructions', { originalSubject: 'http://phish.example' });
    expect(`${subject}\n${text}`).not.toContain('phish.example');
  });
});
