/**
 * Takes one whole message from the mailbox as a stream (imapflow's download():
 * partial FETCHes of CHUNK_BYTES each), hashing and sealing each chunk as it
 * arrives (SecretBox.sealer) into the one Buffer that is stored. Fetched as
 * one literal (fetchOne's `source`), a multi-MB message was gathered by
 * imapflow's parser and concatenated in one turn of the desk's event loop
 * (27-30 ms for 20 MB on a loaded host), then hashed and sealed in one call
 * with more copies around them (50-150 ms for 4 MB). Here each turn
 * handles one chunk, and the plain mail is never whole in the desk's memory.
 */
import type { ImapFlow } from 'imapflow';
import type { SecretBox } from '../../lib/secret-box.js';

/** Bytes per partial FETCH: a 25 MB message is 100 round trips, and no chunk is a noticeable hold of the loop. */
const CHUNK_BYTES = 256 * 1024;

export interface FetchedMessage {
  /** MessageStore.idOf of the plain bytes. */
  id: string;
  /** What SecretBox.seal gives for them. */
  sealed: Buffer;
  bytes: number;
}

/**
 * The message sealed, with its id, or undefined when it is gone (expunged
 * meanwhile). `size` is the server's RFC822.SIZE (the sealed Buffer's size
 * ahead); `maxBytes` bounds what is read whatever the server sends (the size
 * check already refused larger messages).
 */
export async function fetchSealed(
  client: ImapFlow,
  box: SecretBox,
  uid: number,
  size: number,
  maxBytes: number,
): Promise<FetchedMessage | undefined> {
  const dl = await client.download(String(uid), undefined, { uid: true, chunkSize: CHUNK_BYTES, maxBytes });
  if (!dl.content) return undefined;
  const sealer = box.sealer(Math.min(Math.max(size, 0), maxBytes));
  let bytes = 0;
  for await (const chunk of dl.content as AsyncIterable<Buffer>) {
    sealer.update(chunk);
    bytes += chunk.length;
  }
  const { sealed, sha256 } = sealer.final();
  return { id: sha256.slice(0, 32), sealed, bytes };
}
