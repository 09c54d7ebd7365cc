import { describe, expect, it } from 'vitest';
import { caseNumbersInSubject, replySubject } from '../../domain/subject.js';

describe('DSK-1 case numbers in the subject line', () => {
  it.each([
    ['Case 123456', ['123456']],
    ['Case #123456', ['123456']],
    ['Case: 123456', ['123456']],
    ['[Case 123456]', ['123456']],
    ['CASE-123456', ['123456']],
    ['case 123456', ['123456']],
    ['cAsE #123456', ['123456']],
    ['Case # 123456', ['123456']],
    ['Case No. 123456', ['123456']],
    ['Re: Case 123456', ['123456']],
    ['RE: Fwd: [Case 123456] license transfer forms', ['123456']],
    ['AW: WG: Case: 123456', ['123456']],
    ['FW: transfer forms for CASE-123456 (Globex)', ['123456']],
    ['Forms attached, Case #123456, thanks', ['123456']],
    ['Case 1234', ['1234']], // 4 digits: the shortest case number
    ['Case 1234567890', ['1234567890']], // 10 digits: the longest
    ['Re: [Case 123456] Re: Case #123456', ['123456']], // the same number twice is one
    ['Case 123456 and Case 654321', ['123456', '654321']], // several, in order
    ['Case 654321 / case 123456 / CASE-654321', ['654321', '123456']],
  ])('DSK-1 finds the case number in %j', (subject, want) => {
    expect(caseNumbersInSubject(subject)).toEqual(want);
  });

  it.each([
    '',
    'License transfer forms',
    '123456', // a number without the word case
    'Re: forms for 123456',
    'Order 123456',
    'Case 123', // 3 digits: too short
    'Case 12345678901', // 11 digits: too long
    'Showcase 123456', // "case" inside another word
    'Case 123456abc', // not a number on its own
    'Case ABC123',
    'Case',
  ])('DSK-1 finds no case number in %j', (subject) => {
    expect(caseNumbersInSubject(subject)).toEqual([]);
  });

  it.each([
    ['123456', 'License transfer incomplete', '[Case 123456] License transfer incomplete'],
    ['123456', '[Case 123456] Re: forms', '[Case 123456] Re: forms'],
    ['123456', 'Re: [case 123456] forms', '[Case 123456] Re: forms'],
    ['123456', 'line\r\nbreak', '[Case 123456] line break'],
    ['123456', '', '[Case 123456]'],
  ])('DSK-1 replySubject(%j, %j) is %j', (n, text, want) => {
    expect(replySubject(n, text)).toBe(want);
  });
  it('DSK-1 a reply subject threads back to its case', () => {
    expect(caseNumbersInSubject(`Re: ${replySubject('98765', 'Licenses moved')}`)).toEqual(['98765']);
  });
});
