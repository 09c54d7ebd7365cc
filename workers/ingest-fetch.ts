/**
 * Takes one whole message from the mailbox and seals it for the store,
 * hashing and sealing it one 256 KB slice per turn of the event loop
 * (SecretBox.sealer) into the one Buffer that is stored. Hashed and sealed in
 * one call, with the concat copies around them, a multi-MB mail held the
 * desk's loop for tens of milliseconds (issue 10).
 *
 * The message comes as one literal (fetchOne's `source`), whose one concat
 * in imapflow costs a few ms for 4 MB. imapflow's download() (partial
 * FETCHes of 256 KB) was tried and spares that copy, but with it new mail
 * that arrived after a streamed download was noticed 2-3 s late in two runs
 * of three (at the 10 s rescan, not through IDLE), for a reason not found
 * yet; a few ms of copy is the better trade.
 */
import type { ImapFlow } from 'imapflow';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { SecretBox } from '../lib/secret-box.js';
import { SLICE_BYTES } from '../lib/sliced-crypto.js';

export interface FetchedMessage {
  /** MessageStore.idOf of the plain bytes. */
  id: string;
  /** What SecretBox.seal gives for them. */
  sealed: Buffer;
  bytes: number;
}

/** The message sealed, with its id, or undefined when it is gone (expunged meanwhile). */
export async function fetchSealed(client: ImapFlow, box: SecretBox, uid: number): Promise<FetchedMessage | undefined> {
  const full = await client.fetchOne(String(uid), { source: true }, { uid: true });
  if (!full || !full.source) return undefined;
  const raw = full.source;
  const sealer = box.sealer(raw.length);
  for (let i = 0; i < raw.length; i += SLICE_BYTES) {
    sealer.update(raw.subarray(i, i + SLICE_BYTES));
    if (i + SLICE_BYTES < raw.length) await nextTurn();
  }
  const { sealed, sha256 } = sealer.final();
  return { id: sha256.slice(0, 32), sealed, bytes: raw.length };
}
