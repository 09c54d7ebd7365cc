/**
 * The few header lines of an over-size message the desk needs without
 * fetching its body: `Authentication-Results`, so a `too-large` reply goes
 * only to a sender the trusted host passed. The server filters the fields
 * (BODY.PEEK[HEADER.FIELDS (…)]), and at most 16 values of 4 KB are kept.
 */
import type { ImapFlow } from 'imapflow';

export async function authenticationResultsOf(client: ImapFlow, uid: number): Promise<string[]> {
  const m = await client.fetchOne(String(uid), { headers: ['authentication-results'] }, { uid: true });
  const block = m && m.headers ? m.headers.toString('utf8').slice(0, 65536) : '';
  return block
    .replace(/\r?\n(?=[ \t])/g, ' ')
    .split(/\r?\n/)
    .map((l) => /^authentication-results[ \t]*:(.*)$/i.exec(l)?.[1]?.trim())
    .filter((v): v is string => !!v)
    .slice(0, 16)
    .map((v) => v.slice(0, 4096));
}
