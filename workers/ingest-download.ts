/**
 * Reads one whole message from the mailbox as a stream (imapflow's download():
 * partial FETCHes of CHUNK_BYTES each) into one Buffer of the size the server
 * announced. Fetched as one literal (fetchOne's `source`), a multi-MB message
 * was gathered by imapflow's parser and concatenated in one go, the longest
 * hold of the desk's event loop left once parsing had moved to a child
 * (issue 10); here each turn of the loop copies one chunk.
 */
import type { ImapFlow } from 'imapflow';

/** Bytes per partial FETCH: a 25 MB message is 100 round trips, and no chunk is a noticeable copy. */
const CHUNK_BYTES = 256 * 1024;

/**
 * The message's raw bytes, or undefined when it is gone (expunged meanwhile).
 * `size` is the server's RFC822.SIZE; `maxBytes` bounds what is read whatever
 * the server sends (a message past it is cut there, as the size check already
 * refused larger ones).
 */
export async function downloadMessageSource(client: ImapFlow, uid: number, size: number, maxBytes: number): Promise<Buffer | undefined> {
  const dl = await client.download(String(uid), undefined, { uid: true, chunkSize: CHUNK_BYTES, maxBytes });
  if (!dl.content) return undefined;
  let out = Buffer.allocUnsafeSlow(Math.min(Math.max(size, 0), maxBytes));
  let at = 0;
  for await (const chunk of dl.content as AsyncIterable<Buffer>) {
    if (at + chunk.length > out.length) {
      // The server announced less than it sends: grow (rare; bounded by maxBytes above).
      const bigger = Buffer.allocUnsafeSlow(Math.min(maxBytes, Math.max(out.length * 2, at + chunk.length)));
      out.copy(bigger, 0, 0, at);
      out = bigger;
    }
    at += chunk.copy(out, at);
  }
  return at === out.length ? out : out.subarray(0, at);
}
