/**
 * Child-process entry for isolated-reader.ts: reads one PDF and replies with
 * its ReadResult, then exits. Runs with a small heap (--max-old-space-size)
 * and is killed by the parent on timeout, so a hostile PDF can only take this
 * process down.
 *
 * Input:  over IPC (`fork`, serialization 'advanced'): `{ bytes: Uint8Array }`;
 *         without IPC: the PDF bytes on stdin.
 * Output: over IPC: `{ result: ReadResult }`; without IPC: the ReadResult as
 *         one JSON line on stdout.
 * Nothing else is written anywhere: no field value can reach a log (DSK-5).
 */
import { readPdfForm } from './pdf-reader.js';
import type { ReadResult } from './types.js';

interface ParseRequest {
  bytes: Uint8Array;
}

function isRequest(msg: unknown): msg is ParseRequest {
  return typeof msg === 'object' && msg !== null && (msg as { bytes?: unknown }).bytes instanceof Uint8Array;
}

const corrupt: ReadResult = {
  ok: false,
  error: { code: 'E_PDF_CORRUPT', message: 'The PDF file is damaged and cannot be read. Please save the filled form again from your PDF program and send that file.' },
};

// An unexpected throw must not print (the default handler would write the error to stderr).
process.on('uncaughtException', () => process.exit(70));
process.on('unhandledRejection', () => process.exit(70));

if (process.send) {
  process.once('message', (msg: unknown) => {
    void (async () => {
      const result = isRequest(msg) ? await readPdfForm(msg.bytes) : corrupt;
      process.send!({ result }, () => process.exit(0));
    })();
  });
} else {
  const chunks: Buffer[] = [];
  process.stdin.on('data', (c: Buffer) => chunks.push(c));
  process.stdin.on('end', () => {
    void (async () => {
      const result = await readPdfForm(new Uint8Array(Buffer.concat(chunks)));
      process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
    })();
  });
}
